package io.mcpwarden.siem.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A disk queue of syslog messages for one destination: append-only segment files plus a persisted read
 * position. One writer thread appends, one sender thread reads; all methods lock the spool.
 *
 * <p>Files in the directory:
 * <ul>
 * <li>{@code seg-<first seq, 20 digits>.log}: records {@code [int length][long seq][int crc32][payload]},
 *     big-endian; a segment is closed once it reaches the segment size and a new one begins at the next seq;</li>
 * <li>{@code position}: {@code <segment first seq> <offset> <next seq>} of the first record not yet confirmed,
 *     replaced atomically (write, fsync, rename);</li>
 * <li>{@code id}: the UUID that, with the sequence number, identifies each message (the dedupe key).</li>
 * </ul>
 * Durability: appended data reaches the page cache at once (a crash of the process loses nothing that was
 * appended) and the disk at the latest after the fsync interval, on a segment roll and on close. On open the
 * newest segment is checked record by record and a torn tail is cut off.
 *
 * <p>Cap: when the segments together exceed the cap, the oldest segment is deleted even if unsent; the
 * unsent records in it are counted and handed out once by {@link #takeDrops()} so the writer can report them.
 */
public final class Spool implements Closeable {
    static final int HEADER = 16;
    static final int MAX_RECORD = 16 << 20;

    /** A place in the spool: segment, byte offset in it, and the seq of the record that starts there. */
    public record Pos(long segment, long offset, long seq) {
    }

    /**
     * Records deleted unsent because of the cap: {@code count} messages, plus {@code carried} events that DROP
     * messages deleted with them were reporting (to be reported again).
     */
    public record Drops(long count, long carried, long firstSeq, long lastSeq) {
    }

    private static final class Seg {
        final long first;
        final Path path;
        long size;

        Seg(long first, Path path, long size) {
            this.first = first;
            this.path = path;
            this.size = size;
        }
    }

    private final Path dir;
    private final long cap;
    private final long segmentBytes;
    private final long fsyncNanos;
    private final String id;
    private final TreeMap<Long, Seg> segs = new TreeMap<>();
    private final ByteBuffer wbuf = ByteBuffer.allocate(256 * 1024);
    private final CRC32 crc = new CRC32();
    private int bufferedRecords;
    private Seg writeSeg;
    private FileChannel writeCh;
    private long nextSeq;
    private long total;
    private Pos send;
    private Pos committed;
    private Seg readSeg;
    private FileChannel readCh;
    private ByteBuffer rbuf = ByteBuffer.allocate(256 * 1024);
    private long lastFsync = System.nanoTime();
    private boolean unsynced;
    private long dropCount;
    private long dropCarried;
    private final TreeMap<Long, Long> notices = new TreeMap<>(); // seq of a DROP message → events it reports
    private long dropFirst;
    private long dropLast;
    private boolean closed;

    private Spool(Path dir, long cap, long fsyncNanos) throws IOException {
        this.dir = dir;
        this.cap = cap;
        this.segmentBytes = Math.max(4096, Math.min(cap / 8, 16L << 20));
        this.fsyncNanos = fsyncNanos;
        this.id = readOrCreateId(dir);
    }

    /**
     * Opens (or creates) the spool in {@code dir}.
     *
     * @throws IOException with a message naming the directory when it cannot be created or written
     */
    public static Spool open(Path dir, long capBytes, long fsyncIntervalNanos) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("spool directory " + dir + " cannot be created: " + e, e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException("spool directory " + dir + " is not a writable directory");
        }
        Spool s = new Spool(dir, capBytes, fsyncIntervalNanos);
        s.load();
        return s;
    }

    private static String readOrCreateId(Path dir) throws IOException {
        Path f = dir.resolve("id");
        if (Files.exists(f)) {
            String v = Files.readString(f, StandardCharsets.US_ASCII).trim();
            if (!v.isEmpty()) {
                return v;
            }
        }
        String v = UUID.randomUUID().toString();
        Path tmp = dir.resolve("id.tmp");
        Files.writeString(tmp, v + "\n", StandardCharsets.US_ASCII);
        move(tmp, f);
        return v;
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("seg-") && n.endsWith(".log")) {
                    try {
                        long first = Long.parseLong(n.substring(4, n.length() - 4));
                        segs.put(first, new Seg(first, p, Files.size(p)));
                    } catch (NumberFormatException ignore) {
                        // not ours
                    }
                }
            }
        }
        Pos saved = readPosition();
        if (segs.isEmpty()) {
            nextSeq = saved != null ? saved.seq : 1;
        } else {
            Seg last = segs.lastEntry().getValue();
            long[] scan = scan(last);
            if (scan[0] != last.size) { // torn tail of an interrupted write
                try (FileChannel ch = FileChannel.open(last.path, StandardOpenOption.WRITE)) {
                    ch.truncate(scan[0]);
                    ch.force(true);
                }
                last.size = scan[0];
            }
            nextSeq = last.first + scan[1];
        }
        Seg last = segs.isEmpty() ? null : segs.lastEntry().getValue();
        if (last != null && last.size == 0 && last.first == nextSeq) {
            writeSeg = last;
        } else {
            writeSeg = new Seg(nextSeq, dir.resolve(segName(nextSeq)), 0);
            segs.put(nextSeq, writeSeg);
        }
        writeCh = FileChannel.open(writeSeg.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        writeCh.position(writeSeg.size);
        for (Seg s : segs.values()) {
            total += s.size;
        }
        Map.Entry<Long, Seg> oldest = segs.firstEntry();
        if (saved != null && segs.containsKey(saved.segment) && saved.offset <= segs.get(saved.segment).size
                && saved.seq <= nextSeq) {
            committed = saved;
        } else {
            committed = new Pos(oldest.getKey(), 0, oldest.getKey());
        }
        send = committed;
    }

    /** Walks a segment: returns {valid length, record count}. */
    private long[] scan(Seg s) throws IOException {
        long off = 0;
        long n = 0;
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
            while (off + HEADER <= s.size) {
                h.clear();
                ch.read(h, off);
                h.flip();
                int len = h.getInt();
                long seq = h.getLong();
                int c = h.getInt();
                if (len < 0 || len > MAX_RECORD || seq != s.first + n || off + HEADER + len > s.size) {
                    break;
                }
                ByteBuffer p = ByteBuffer.allocate(len);
                ch.read(p, off + HEADER);
                CRC32 k = new CRC32();
                k.update(p.array(), 0, len);
                if ((int) k.getValue() != c) {
                    break;
                }
                off += HEADER + len;
                n++;
            }
        }
        return new long[] {off, n};
    }

    private Pos readPosition() {
        Path f = dir.resolve("position");
        try {
            if (!Files.exists(f)) {
                return null;
            }
            String[] v = Files.readString(f, StandardCharsets.US_ASCII).trim().split(" ");
            return new Pos(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String segName(long first) {
        return String.format("seg-%020d.log", first);
    }

    /** The identifier of this spool's sequence numbering (part of the dedupe key). */
    public String id() {
        return id;
    }

    /** The seq the next appended record gets. */
    public synchronized long nextSeq() {
        return nextSeq;
    }

    /** Appends one record with seq {@link #nextSeq()}; visible to the reader after {@link #flush()}. */
    public synchronized void append(byte[] payload) throws IOException {
        if (payload.length > MAX_RECORD) {
            throw new IOException("message of " + payload.length + " bytes exceeds the spool record limit");
        }
        if (writeSeg.size + wbuf.position() >= segmentBytes && writeSeg.size + wbuf.position() > 0) {
            writeOut();
            roll();
        }
        if (wbuf.remaining() < HEADER + payload.length) {
            writeOut();
            if (wbuf.capacity() < HEADER + payload.length) {
                // one large record: write it directly
                ByteBuffer big = ByteBuffer.allocate(HEADER + payload.length);
                record(big, payload);
                big.flip();
                writeFully(big, 1);
                return;
            }
        }
        record(wbuf, payload);
        bufferedRecords++;
    }

    private void record(ByteBuffer b, byte[] payload) {
        crc.reset();
        crc.update(payload, 0, payload.length);
        b.putInt(payload.length).putLong(nextSeq).putInt((int) crc.getValue()).put(payload);
        nextSeq++;
    }

    /** Appends a DROP message reporting {@code events} lost events (re-reported if the cap deletes it unsent). */
    public synchronized void appendNotice(byte[] payload, long events) throws IOException {
        long seq = nextSeq;
        append(payload);
        notices.put(seq, events);
    }

    /** Makes appended records visible to the reader; fsyncs when the interval has passed (or when forced). */
    public synchronized void flush(boolean fsync) throws IOException {
        writeOut();
        long now = System.nanoTime();
        if (unsynced && (fsync || now - lastFsync >= fsyncNanos)) {
            writeCh.force(false);
            lastFsync = now;
            unsynced = false;
        }
    }

    private void writeOut() throws IOException {
        if (wbuf.position() == 0) {
            return;
        }
        wbuf.flip();
        int n = bufferedRecords;
        bufferedRecords = 0;
        try {
            writeFully(wbuf, n);
        } finally {
            wbuf.clear();
        }
    }

    private void writeFully(ByteBuffer b, int records) throws IOException {
        int len = b.remaining();
        try {
            while (b.hasRemaining()) {
                writeCh.write(b);
            }
        } catch (IOException e) {
            nextSeq -= records; // those records never reached the file
            try {
                writeCh.truncate(writeSeg.size);
                writeCh.position(writeSeg.size);
            } catch (IOException ignore) {
                // the next write will fail as well and be reported
            }
            throw new SpoolWriteException(records, e);
        }
        writeSeg.size += len;
        total += len;
        unsynced = true;
        enforceCap();
    }

    private void roll() throws IOException {
        writeCh.force(false);
        writeCh.close();
        unsynced = false;
        writeSeg = new Seg(nextSeq, dir.resolve(segName(nextSeq)), 0);
        segs.put(nextSeq, writeSeg);
        writeCh = FileChannel.open(writeSeg.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        enforceCap();
    }

    private void enforceCap() throws IOException {
        while (total > cap && segs.size() > 1) {
            Seg old = segs.firstEntry().getValue();
            if (old == writeSeg) {
                return;
            }
            long next = segs.higherKey(old.first);
            if (send.seq < next) {
                long from = Math.max(send.seq, old.first);
                long n = next - from;
                Map<Long, Long> lostNotices = notices.subMap(from, next);
                n -= lostNotices.size();
                for (long c : lostNotices.values()) {
                    dropCarried += c;
                }
                notices.headMap(next).clear();
                if (n > 0 || dropCarried > 0) {
                    if (dropCount == 0) {
                        dropFirst = from;
                    }
                    dropCount += n;
                    dropLast = next - 1;
                }
                send = new Pos(next, 0, next);
            }
            if (committed.seq < next) {
                committed = new Pos(next, 0, next);
                writePosition(committed);
            }
            deleteSeg(old);
        }
    }

    private void deleteSeg(Seg s) throws IOException {
        segs.remove(s.first);
        total -= s.size;
        if (readSeg == s) {
            closeReader();
        }
        Files.deleteIfExists(s.path);
    }

    /** Records lost to the cap since the last call, or null. */
    public synchronized Drops takeDrops() {
        if (dropCount == 0 && dropCarried == 0) {
            return null;
        }
        Drops d = new Drops(dropCount, dropCarried, dropFirst, dropLast);
        dropCount = 0;
        dropCarried = 0;
        return d;
    }

    /**
     * Reads records from the send position on, up to about {@code maxBytes}, and advances the send position.
     *
     * @return the seq of the first record read (meaningful only when {@code out} grew)
     */
    public synchronized long read(int maxBytes, List<byte[]> out) throws IOException {
        long firstSeq = send.seq;
        int bytes = 0;
        while (bytes < maxBytes) {
            Seg s = segs.get(send.segment);
            if (s == null) { // cannot happen: the cap moves the position along; recover to the oldest segment
                Map.Entry<Long, Seg> o = segs.firstEntry();
                send = new Pos(o.getKey(), 0, o.getKey());
                firstSeq = send.seq;
                continue;
            }
            long avail = s.size - send.offset;
            if (avail <= 0) {
                Long next = segs.higherKey(s.first);
                if (next == null || s == writeSeg) {
                    break;
                }
                send = new Pos(next, 0, next);
                continue;
            }
            if (readSeg != s) {
                closeReader();
                readCh = FileChannel.open(s.path, StandardOpenOption.READ);
                readSeg = s;
            }
            int want = (int) Math.min(avail, Math.max(rbuf.capacity(), 0));
            rbuf.clear().limit(want);
            while (rbuf.hasRemaining()) {
                if (readCh.read(rbuf, send.offset + rbuf.position()) < 0) {
                    break;
                }
            }
            rbuf.flip();
            int parsed = 0;
            boolean grew = false;
            while (rbuf.remaining() >= HEADER) {
                int start = rbuf.position();
                int len = rbuf.getInt();
                long seq = rbuf.getLong();
                int c = rbuf.getInt();
                if (len < 0 || len > MAX_RECORD || seq != send.seq) {
                    corrupt(s);
                    return firstSeq;
                }
                if (rbuf.remaining() < len) {
                    rbuf.position(start);
                    if (HEADER + len > rbuf.capacity()) {
                        rbuf = ByteBuffer.allocate(HEADER + len);
                        grew = true;
                    }
                    break;
                }
                byte[] p = new byte[len];
                rbuf.get(p);
                crc.reset();
                crc.update(p, 0, len);
                if ((int) crc.getValue() != c) {
                    corrupt(s);
                    return firstSeq;
                }
                out.add(p);
                parsed++;
                bytes += len;
                send = new Pos(s.first, send.offset + HEADER + len, seq + 1);
                if (bytes >= maxBytes) {
                    break;
                }
            }
            if (parsed == 0 && !grew) { // trailing bytes that are no record
                corrupt(s);
                return firstSeq;
            }
        }
        return firstSeq;
    }

    /** A damaged record: the rest of the segment is skipped and counted as dropped. */
    private void corrupt(Seg s) {
        Long next = segs.higherKey(s.first);
        long end = next != null ? next : nextSeq;
        long n = end - send.seq;
        if (n > 0) {
            if (dropCount == 0) {
                dropFirst = send.seq;
            }
            dropCount += n;
            dropLast = end - 1;
        }
        send = next != null ? new Pos(next, 0, next) : new Pos(s.first, s.size, end);
    }

    /** Where the next {@link #read} starts. */
    public synchronized Pos sendPosition() {
        return send;
    }

    /** Goes back to the last committed position (after a lost connection). */
    public synchronized void rewind() {
        send = committed;
    }

    /** Records up to {@code p} are delivered: persist, and delete segments that lie wholly before it. */
    public synchronized void commit(Pos p) throws IOException {
        if (p.seq <= committed.seq || !segs.containsKey(p.segment)) {
            return;
        }
        committed = p;
        notices.headMap(p.seq).clear();
        writePosition(p);
        while (!segs.isEmpty() && segs.firstKey() < p.segment) {
            deleteSeg(segs.firstEntry().getValue());
        }
    }

    private void writePosition(Pos p) throws IOException {
        Path tmp = dir.resolve("position.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((p.segment + " " + p.offset + " " + p.seq + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ch.force(false);
        }
        move(tmp, dir.resolve("position"));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Records appended but not yet committed as delivered. */
    public synchronized long backlog() {
        return nextSeq - committed.seq;
    }

    /** Records appended but not yet read for sending. */
    public synchronized long unsent() {
        return nextSeq - send.seq;
    }

    /** Bytes on disk. */
    public synchronized long bytes() {
        return total;
    }

    private void closeReader() throws IOException {
        if (readCh != null) {
            readCh.close();
        }
        readCh = null;
        readSeg = null;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush(true);
        } finally {
            writeCh.close();
            closeReader();
        }
    }

    /** A write that did not reach the file; {@link #records} records were lost. */
    public static final class SpoolWriteException extends IOException {
        private final int records;

        SpoolWriteException(int records, IOException cause) {
            super("spool write failed (" + records + " messages lost): " + cause.getMessage(), cause);
            this.records = records;
        }

        public int records() {
            return records;
        }
    }
}
