package io.mcpwarden.siem.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * Checks a {@link Spool} segment file record by record (length, seq, CRC), reading it in large chunks: how much
 * of it is complete, intact records, and whether they end with the end marker of a completed write. Without
 * the marker, what follows them is the torn tail of an interrupted write; after it, only what a recycled file
 * held before.
 */
final class SegmentScan {
    /**
     * The first {@code validBytes} bytes of the file hold {@code records} complete, intact records; {@code marked}:
     * the end marker of a completed write follows them.
     */
    record Result(long validBytes, long records, boolean marked) {
    }

    private SegmentScan() {
    }

    /** Scans the first {@code size} bytes of {@code file}, whose first record has seq {@code firstSeq}. */
    static Result scan(Path file, long firstSeq, long size) throws IOException {
        long off = 0;
        long n = 0;
        ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(Spool.READ_CHUNK, Math.max(size, Spool.HEADER)));
        CRC32 k = new CRC32();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (off + Spool.HEADER <= size) {
                b.clear().limit((int) Math.min(b.capacity(), size - off));
                readFully(ch, b, off);
                b.flip();
                int parsed = 0;
                while (b.remaining() >= Spool.HEADER) {
                    int len = b.getInt();
                    long seq = b.getLong();
                    int c = b.getInt();
                    if (len == -1 && seq == firstSeq + n && c == 0) {
                        return new Result(off, n, true);
                    }
                    if (len < 0 || len > Spool.MAX_RECORD || seq != firstSeq + n || off + Spool.HEADER + len > size) {
                        return new Result(off, n, false);
                    }
                    if (b.remaining() < len) { // split by the chunk end: the next chunk begins with it
                        if (Spool.HEADER + len > b.capacity()) { // larger than a chunk: checked on its own
                            ByteBuffer big = ByteBuffer.allocate(len);
                            readFully(ch, big, off + Spool.HEADER);
                            k.reset();
                            k.update(big.array(), 0, len);
                            if ((int) k.getValue() != c) {
                                return new Result(off, n, false);
                            }
                            off += Spool.HEADER + len;
                            n++;
                            parsed++;
                        }
                        break;
                    }
                    int lim = b.limit();
                    b.limit(b.position() + len);
                    k.reset();
                    k.update(b);
                    b.limit(lim);
                    if ((int) k.getValue() != c) {
                        return new Result(off, n, false);
                    }
                    off += Spool.HEADER + len;
                    n++;
                    parsed++;
                }
                if (parsed == 0) {
                    break;
                }
            }
        }
        return new Result(off, n, false);
    }

    /** Reads until {@code b} is full or the file ends. */
    static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
    }
}
