package io.mcpwarden.siem.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads {@link Spool} records back from a segment file in chunks of {@link Spool#READ_CHUNK} bytes and keeps the
 * chunk, so that consecutive reads take their records from memory until the chunk is used up. Checks each
 * record's length, seq and CRC. Used by one thread (the sender), without the spool's lock.
 */
final class SegmentReader implements Closeable {
    /** Where reading stopped: the next record's offset and seq, payload bytes taken, and whether damage stopped it. */
    record Result(long offset, long seq, int bytes, boolean damaged) {
    }

    private final ByteBuffer chunk = ByteBuffer.allocateDirect(Spool.READ_CHUNK);
    private final CRC32 crc = new CRC32();
    private Path path;
    private FileChannel channel;
    private long chunkStart = -1; // file offset of the chunk's first byte; the chunk's limit is its length

    /**
     * Takes records from {@code offset} (the start of record {@code seq}) of {@code file} until {@code maxBytes}
     * payload bytes are reached (at least one record) or {@code end}, the length of the complete records.
     */
    Result read(Path file, long offset, long seq, long end, int maxBytes, List<byte[]> out) throws IOException {
        if (!file.equals(path)) {
            close();
            channel = FileChannel.open(file, StandardOpenOption.READ);
            path = file;
        }
        long off = offset;
        long next = seq;
        int bytes = 0;
        while (off < end && (bytes == 0 || bytes < maxBytes)) {
            if (!covers(off, Spool.HEADER)) {
                fill(off, end);
                if (!covers(off, Spool.HEADER)) {
                    return new Result(off, next, bytes, true); // a few bytes that are no record
                }
            }
            int at = (int) (off - chunkStart);
            int len = chunk.getInt(at);
            long s = chunk.getLong(at + 4);
            int c = chunk.getInt(at + 12);
            if (len < 0 || len > Spool.MAX_RECORD || s != next || off + Spool.HEADER + len > end) {
                return new Result(off, next, bytes, true);
            }
            byte[] p = new byte[len];
            if (Spool.HEADER + len > chunk.capacity()) { // larger than a chunk: read on its own
                SegmentScan.readFully(channel, ByteBuffer.wrap(p), off + Spool.HEADER);
            } else {
                if (!covers(off, Spool.HEADER + len)) { // split by the chunk's end: a new chunk begins with it
                    fill(off, end);
                    at = 0;
                }
                chunk.get(at + Spool.HEADER, p);
            }
            crc.reset();
            crc.update(p, 0, len);
            if ((int) crc.getValue() != c) {
                return new Result(off, next, bytes, true);
            }
            out.add(p);
            bytes += len;
            off += Spool.HEADER + len;
            next++;
        }
        return new Result(off, next, bytes, false);
    }

    private boolean covers(long off, int len) {
        return chunkStart >= 0 && off >= chunkStart && off + len <= chunkStart + chunk.limit();
    }

    private void fill(long off, long end) throws IOException {
        chunkStart = -1;
        chunk.clear().limit((int) Math.min(chunk.capacity(), end - off));
        SegmentScan.readFully(channel, chunk, off);
        chunk.flip();
        chunkStart = off;
    }

    /** Closes the file (the next read opens what it needs). */
    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignore) {
                // read-only
            }
        }
        channel = null;
        path = null;
        chunkStart = -1;
    }
}
