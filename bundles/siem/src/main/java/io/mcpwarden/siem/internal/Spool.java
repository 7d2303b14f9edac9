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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A disk queue of syslog messages for one destination: append-only segment files plus a persisted read
 * position. One writer thread appends, one sender thread reads.
 *
 * <p>Files in the directory:
 * <ul>
 * <li>{@code seg-<first seq, 20 digits>.log}: records {@code [int length][long seq][int crc32][payload]},
 *     big-endian; a segment is closed once it reaches the segment size and a new one begins at the next seq.
 *     Every write ends with an end marker {@code [-1][next seq][0]} that the next write overwrites; finished
 *     segments, and the last one on {@link #close}, are cut to the length of their records;</li>
 * <li>{@code position}: {@code <segment first seq> <offset> <next seq>} of the first record not yet confirmed,
 *     replaced atomically (write, fsync, rename);</li>
 * <li>{@code id}: the UUID that, with the sequence number, identifies each message (the dedupe key);</li>
 * <li>{@code spare-<n>.log}: up to {@value #SPARES} segment files that are no longer needed, kept for reuse: the
 *     next segment overwrites one instead of growing a new file, so the kernel neither allocates new pages and
 *     blocks nor frees the old ones (as databases recycle their log segments). Spares count towards the cap
 *     and are deleted on open.</li>
 * </ul>
 *
 * <p>Writing is a group commit: {@link #append} frames the record into a reusable 1 MiB direct buffer, and
 * {@link #flush} (which the writer calls after each batch it takes from its queue) writes everything framed
 * so far with one {@code write} call — as does a full buffer. A record becomes visible to the reader once it
 * is completely in the file. The file work happens outside the lock the reader takes; fsync, closing finished
 * segments, writing the position file and retiring delivered segments run on a background thread
 * ({@link SpoolHousekeeper}).
 *
 * <p>Reading: the records written last (up to 4 MiB) are also kept in memory ({@link Tail}), so a sender that
 * keeps up is served without reading its own writes back. Anything else — after a lost connection, after a
 * restart, while the sender is behind — is read from the file in 1 MiB chunks with each record's CRC checked.
 * Either way nothing is removed from the disk before the sender {@link #commit commits} past it.
 *
 * <p>Durability:
 * <ul>
 * <li>process crash (kill -9, out of memory): every flushed record survives (it is in the page cache and the
 *     kernel writes it out); lost are only records appended since the last flush (at most one writer batch);</li>
 * <li>power failure or kernel crash: the file is fsync'ed in the background by the first flush after
 *     {@code fsyncInterval} has passed since the previous fsync, and a finished segment as soon as the next one
 *     begins; records not yet fsync'ed may be lost. There is no fsync per record or per batch;</li>
 * <li>{@link #close}: everything appended is written and fsync'ed before it returns (a clean restart loses
 *     nothing).</li>
 * </ul>
 * On open the newest segment is checked record by record (length, seq, CRC). When its records end with the end
 * marker, the last write completed and what follows (in a recycled file, what it held before) is cut off
 * silently; otherwise a torn tail — the unfinished part of a write that a crash interrupted — is cut off after
 * the last complete record and reported by {@link #tornTail()}.
 *
 * <p>Cap: when the segments (and spares) together exceed the cap, spares are deleted first, then the oldest
 * segment even if unsent; the unsent records in it are counted and handed out once by {@link #takeDrops()} so
 * the writer can report them.
 */
public final class Spool implements Closeable {
    static final int HEADER = 16;
    static final int MAX_RECORD = 16 << 20;
    static final int WRITE_BUFFER = 1 << 20;
    static final int READ_CHUNK = 1 << 20;
    static final long TAIL_BYTES = 4L << 20;
    static final int SPARES = 2;

    /** A place in the spool: segment, byte offset in it, and the seq of the record that starts there. */
    public record Pos(long segment, long offset, long seq) {
    }

    /**
     * Records deleted unsent because of the cap: {@code count} messages, plus {@code carried} events that DROP
     * messages deleted with them were reporting (to be reported again).
     */
    public record Drops(long count, long carried, long firstSeq, long lastSeq) {
    }

    /**
     * What {@link #open} cut off the end of the newest segment: {@code bytes} bytes at {@code offset} of
     * {@code segment} that were not a complete record (a write interrupted by a crash); the records before it
     * were kept, {@code nextSeq} is the seq the next record gets.
     */
    public record TornTail(Path segment, long offset, long bytes, long nextSeq) {
        @Override
        public String toString() {
            return "spool " + segment + ": " + bytes + " bytes at offset " + offset
                    + " are no complete record (a write interrupted by a crash) and were cut off; the records"
                    + " before them are kept, the next message gets seq " + nextSeq;
        }
    }

    /** A segment file no longer needed, waiting to be reused. */
    private record Spare(Path path, long bytes) {
    }

    private static final class Seg {
        final long first;
        final Path path;
        long size; // bytes of complete records visible to the reader

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
    private final SpoolHousekeeper housekeeper;

    // writer side, guarded by writeLock (the writer thread; close)
    private final Object writeLock = new Object();
    private final ByteBuffer wbuf = ByteBuffer.allocateDirect(WRITE_BUFFER);
    private final CRC32 wcrc = new CRC32();
    private final List<byte[]> pending = new ArrayList<>(); // framed records not yet visible, in seq order
    private long pendingBytes; // their bytes, framing included
    private FileChannel writeCh;
    private volatile long nextSeq;
    private long lastFsync = System.nanoTime();
    private boolean unsynced;
    private boolean writerClosed;

    // reader side, guarded by readLock (the sender thread): file reads happen outside the lock of this
    private final Object readLock = new Object();
    private final SegmentReader reader = new SegmentReader();
    private final List<byte[]> chunkRecords = new ArrayList<>();

    // shared, guarded by this
    private final TreeMap<Long, Seg> segs = new TreeMap<>();
    private final Tail tail = new Tail(TAIL_BYTES);
    private final TreeMap<Long, Long> notices = new TreeMap<>(); // seq of a DROP message → events it reports
    private Seg writeSeg;
    private long end; // seq after the last record visible to the reader
    private long total;
    private Pos send;
    private Pos committed;
    private long dropCount;
    private long dropCarried;
    private long dropFirst;
    private long dropLast;
    private TornTail torn;
    private final ArrayDeque<Spare> spares = new ArrayDeque<>();
    private int sparesComing; // retired files the housekeeper has yet to rename into spares
    private long spareBytes; // of the spares and of those coming
    private long spareCounter;

    private Spool(Path dir, long cap, long fsyncNanos) throws IOException {
        this.dir = dir;
        this.cap = cap;
        this.segmentBytes = Math.max(4096, Math.min(cap / 8, 16L << 20));
        this.fsyncNanos = fsyncNanos;
        this.id = readOrCreateId(dir);
        this.housekeeper = new SpoolHousekeeper("siem-spool-io-" + dir.getFileName());
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
        try {
            s.load();
        } catch (IOException | RuntimeException e) {
            s.housekeeper.close();
            throw e;
        }
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

    private synchronized void load() throws IOException {
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
                } else if (n.startsWith("spare-") && n.endsWith(".log")) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Pos saved = readPosition();
        if (segs.isEmpty()) {
            nextSeq = saved != null ? saved.seq : 1;
        } else {
            Seg last = segs.lastEntry().getValue();
            SegmentScan.Result scan = SegmentScan.scan(last.path, last.first, last.size);
            nextSeq = last.first + scan.records();
            if (scan.validBytes() != last.size) { // the end marker (and what a recycled file held), or a torn write
                if (!scan.marked()) {
                    torn = new TornTail(last.path, scan.validBytes(), last.size - scan.validBytes(), nextSeq);
                }
                try (FileChannel ch = FileChannel.open(last.path, StandardOpenOption.WRITE)) {
                    ch.truncate(scan.validBytes());
                    ch.force(true);
                }
                last.size = scan.validBytes();
            }
        }
        end = nextSeq;
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

    /** What opening cut off the newest segment, or null when it ended with a complete record. */
    public synchronized TornTail tornTail() {
        return torn;
    }

    /** The seq the next appended record gets. */
    public long nextSeq() {
        return nextSeq;
    }

    /**
     * Appends one record with seq {@link #nextSeq()}; visible to the reader after {@link #flush}. The spool keeps
     * {@code payload} (the caller must not change it afterwards).
     */
    public void append(byte[] payload) throws IOException {
        synchronized (writeLock) {
            if (writerClosed) {
                throw new IOException("spool " + dir + " is closed");
            }
            int len = payload.length;
            if (len > MAX_RECORD) {
                throw new IOException("message of " + len + " bytes exceeds the spool record limit");
            }
            if (writeSeg.size + pendingBytes >= segmentBytes) {
                writeOut(1);
                roll();
            }
            if (wbuf.remaining() < HEADER + len + HEADER) { // room for the record and the end marker
                writeOut(1);
            }
            wcrc.reset();
            wcrc.update(payload, 0, len);
            wbuf.putInt(len).putLong(nextSeq).putInt((int) wcrc.getValue());
            boolean big = HEADER + len + HEADER > wbuf.capacity();
            for (int off = 0; off < len; ) { // a record larger than the buffer goes through it in pieces
                int n = Math.min(wbuf.remaining(), len - off);
                wbuf.put(payload, off, n);
                off += n;
                if (!wbuf.hasRemaining() && off < len) {
                    write(1);
                }
            }
            pending.add(payload);
            pendingBytes += HEADER + len;
            nextSeq++;
            if (big) {
                writeOut(0);
            }
        }
    }

    /** Appends a DROP message reporting {@code events} lost events (re-reported if the cap deletes it unsent). */
    public void appendNotice(byte[] payload, long events) throws IOException {
        synchronized (writeLock) {
            long seq = nextSeq;
            append(payload);
            synchronized (this) {
                notices.put(seq, events);
            }
        }
    }

    /**
     * Writes what was appended (one write call) and makes it visible to the reader. When the fsync interval has
     * passed the file is fsync'ed in the background; with {@code fsync} it is fsync'ed before this returns.
     *
     * @throws SpoolWriteException when the write fails (with the number of records lost)
     */
    public void flush(boolean fsync) throws IOException {
        synchronized (writeLock) {
            if (writerClosed) {
                return;
            }
            writeOut(0);
            long now = System.nanoTime();
            if (fsync) {
                housekeeper.await(); // finished segments are fsync'ed there
                if (unsynced) {
                    writeCh.force(false);
                }
                lastFsync = now;
                unsynced = false;
            } else if (unsynced && now - lastFsync >= fsyncNanos) {
                FileChannel ch = writeCh;
                housekeeper.submit("fsync of " + writeSeg.path, () -> ch.force(false));
                lastFsync = now;
                unsynced = false;
            }
        }
    }

    /**
     * A failure of the background work (fsync, position file, retiring a delivered segment) since the last
     * call, as a sentence naming the spool, or null. Such a failure loses no record by itself.
     */
    public String takeBackgroundFailure() {
        String failed = housekeeper.takeFailure();
        return failed == null ? null : "spool " + dir + ": " + failed;
    }

    /**
     * Writes the buffer, followed by the end marker, and publishes the pending records; {@code staging} = records
     * not yet in pending. The end marker ({@code [-1][next seq][0]}) says on open that the last write completed;
     * the next write overwrites it.
     */
    private void writeOut(int staging) throws IOException {
        if (wbuf.position() > 0) {
            if (wbuf.remaining() < HEADER) { // only after a record larger than the buffer
                write(staging);
            }
            wbuf.putInt(-1).putLong(nextSeq).putInt(0);
            write(staging);
            writeCh.position(writeCh.position() - HEADER);
        }
        if (pending.isEmpty()) {
            return;
        }
        synchronized (this) {
            long seq = end;
            long off = writeSeg.size;
            for (byte[] p : pending) {
                tail.add(writeSeg.first, off, seq++, p);
                off += HEADER + p.length;
            }
            writeSeg.size = off;
            total += pendingBytes;
            end = seq;
            enforceCap();
        }
        pending.clear();
        pendingBytes = 0;
        unsynced = true;
    }

    /** Writes the buffer to the file (one write call, more only when the kernel takes less). */
    private void write(int staging) throws IOException {
        if (wbuf.position() == 0) {
            return;
        }
        wbuf.flip();
        try {
            while (wbuf.hasRemaining()) {
                writeCh.write(wbuf);
            }
        } catch (IOException e) {
            int lost = pending.size() + staging;
            pending.clear();
            pendingBytes = 0;
            long visible;
            synchronized (this) {
                visible = end;
                notices.tailMap(visible).clear();
            }
            nextSeq = visible; // those records never completely reached the file
            try {
                writeCh.truncate(writeSeg.size);
                writeCh.position(writeSeg.size);
            } catch (IOException ignore) {
                // the next write will fail as well and be reported
            }
            throw new SpoolWriteException(lost, e);
        } finally {
            wbuf.clear();
        }
    }

    /**
     * Begins the next segment, in a spare file when there is one; the finished one is cut to the length of its
     * records (a recycled file may be longer) and fsync'ed and closed in the background.
     */
    private void roll() throws IOException {
        Seg s = new Seg(nextSeq, dir.resolve(segName(nextSeq)), 0);
        writeCh.truncate(writeSeg.size);
        Spare spare;
        synchronized (this) {
            spare = spares.poll();
            spareBytes -= spare != null ? spare.bytes : 0;
        }
        FileChannel ch = null;
        if (spare != null) { // overwritten from the start; marked empty before it becomes the segment
            try {
                ch = FileChannel.open(spare.path, StandardOpenOption.WRITE);
                ByteBuffer marker = ByteBuffer.allocate(HEADER).putInt(-1).putLong(s.first).putInt(0).flip();
                while (marker.hasRemaining()) {
                    ch.write(marker, marker.position());
                }
                Files.move(spare.path, s.path, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (ch != null) {
                    ch.close();
                    ch = null;
                }
                Files.deleteIfExists(spare.path);
            }
        }
        if (ch == null) {
            ch = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        FileChannel old = writeCh;
        Path oldPath = writeSeg.path;
        writeCh = ch;
        synchronized (this) {
            segs.put(s.first, s);
            writeSeg = s;
            enforceCap();
        }
        housekeeper.submit("fsync of " + oldPath, () -> {
            try {
                old.force(false);
            } finally {
                old.close();
            }
        });
        unsynced = false;
        lastFsync = System.nanoTime();
    }

    /**
     * Deletes spares, then the oldest segments, while over the cap. The position file is left alone: when it
     * names a deleted segment, {@link #open} starts at the oldest one left, which is where the cap moved the
     * position to.
     */
    private void enforceCap() {
        while (total + spareBytes > cap && !spares.isEmpty()) { // spares go first
            Spare sp = spares.poll();
            spareBytes -= sp.bytes;
            housekeeper.submit("deleting " + sp.path, () -> Files.deleteIfExists(sp.path));
        }
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
            }
            deleteSeg(old);
        }
    }

    /** Forgets a segment; in the background its file becomes a spare or is deleted. */
    private void deleteSeg(Seg s) {
        segs.remove(s.first);
        total -= s.size;
        housekeeper.submit("retiring " + s.path, retirement(s));
    }

    /**
     * What becomes of the file of a segment no longer needed (called with the lock held): a spare while there
     * are fewer than {@link #SPARES} and the cap leaves room, else deleted.
     */
    private SpoolHousekeeper.Job retirement(Seg s) {
        if (spares.size() + sparesComing >= SPARES || total + spareBytes + s.size > cap) {
            return () -> Files.deleteIfExists(s.path);
        }
        sparesComing++;
        spareBytes += s.size;
        Path to = dir.resolve("spare-" + ++spareCounter + ".log");
        return () -> {
            boolean moved = false;
            try {
                move(s.path, to);
                moved = true;
            } finally {
                synchronized (this) {
                    sparesComing--;
                    if (moved) {
                        spares.add(new Spare(to, s.size));
                    } else {
                        spareBytes -= s.size;
                    }
                }
            }
        };
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
     * Reads records from the send position on, up to about {@code maxBytes} of payload (at least one record when
     * there is one), and advances the send position. Recently written records come from memory, the others from
     * the file — read without holding the lock the writer needs. The records of one call are consecutive.
     *
     * @return the seq of the first record read (meaningful only when {@code out} grew)
     */
    public long read(int maxBytes, List<byte[]> out) throws IOException {
        synchronized (readLock) {
            long firstSeq = -1;
            Pos expected = null; // where this call left off: if the cap moved the position since, stop here
            int bytes = 0;
            while (bytes < maxBytes) {
                Pos at;
                Seg s;
                long size;
                synchronized (this) {
                    if (expected != null && !send.equals(expected)) {
                        break;
                    }
                    s = segs.get(send.segment);
                    if (s == null) { // cannot happen: the cap moves the position along; recover to the oldest
                        Map.Entry<Long, Seg> o = segs.firstEntry();
                        send = new Pos(o.getKey(), 0, o.getKey());
                        continue;
                    }
                    if (s.size - send.offset <= 0) {
                        Long next = segs.higherKey(s.first);
                        if (next == null || s == writeSeg) {
                            break;
                        }
                        send = new Pos(next, 0, next);
                        expected = expected != null ? send : null;
                        continue;
                    }
                    int before = out.size();
                    Pos p = tail.take(send, maxBytes - bytes, out);
                    if (p != null) {
                        firstSeq = firstSeq < 0 ? send.seq : firstSeq;
                        for (int i = before; i < out.size(); i++) {
                            bytes += out.get(i).length;
                        }
                        send = p;
                        expected = p;
                        continue;
                    }
                    at = send;
                    size = s.size;
                }
                chunkRecords.clear();
                SegmentReader.Result r;
                try {
                    r = reader.read(s.path, at.offset, at.seq, size, maxBytes - bytes, chunkRecords);
                } catch (IOException e) {
                    synchronized (this) {
                        if (send.equals(at) && segs.get(s.first) == s) {
                            throw e;
                        }
                    }
                    continue; // the cap deleted the segment meanwhile
                }
                synchronized (this) {
                    if (!send.equals(at)) {
                        continue; // the cap moved the position meanwhile: those records are gone
                    }
                    if (!chunkRecords.isEmpty()) {
                        firstSeq = firstSeq < 0 ? at.seq : firstSeq;
                        out.addAll(chunkRecords);
                        bytes += r.bytes();
                        send = new Pos(s.first, r.offset(), r.seq());
                        expected = send;
                    }
                    if (r.damaged()) {
                        corrupt(s);
                    }
                }
            }
            if (firstSeq < 0) {
                synchronized (this) {
                    firstSeq = send.seq;
                }
            }
            return firstSeq;
        }
    }

    /** A damaged record: the rest of the segment is skipped and counted as dropped. */
    private void corrupt(Seg s) {
        Long next = segs.higherKey(s.first);
        long last = next != null ? next : end;
        long n = last - send.seq;
        if (n > 0) {
            if (dropCount == 0) {
                dropFirst = send.seq;
            }
            dropCount += n;
            dropLast = last - 1;
        }
        send = next != null ? new Pos(next, 0, next) : new Pos(s.first, s.size, last);
    }

    /** Where the next {@link #read} starts. */
    public synchronized Pos sendPosition() {
        return send;
    }

    /** Goes back to the last committed position (after a lost connection). */
    public synchronized void rewind() {
        send = committed;
    }

    /**
     * Records up to {@code p} are delivered: the position file is replaced, then segments that lie wholly before
     * it are retired (both in the background, in that order).
     */
    public void commit(Pos p) {
        List<SpoolHousekeeper.Job> retire = new ArrayList<>();
        synchronized (this) {
            if (p.seq <= committed.seq || !segs.containsKey(p.segment)) {
                return;
            }
            committed = p;
            notices.headMap(p.seq).clear();
            while (!segs.isEmpty() && segs.firstKey() < p.segment) {
                Seg s = segs.pollFirstEntry().getValue();
                total -= s.size;
                retire.add(retirement(s));
            }
        }
        housekeeper.submit("writing the position file", () -> {
            try {
                writePosition(p);
            } finally { // delivered either way: an older position file only means more duplicates after a restart
                for (SpoolHousekeeper.Job j : retire) {
                    j.run();
                }
            }
        });
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

    /** Bytes on disk (complete records). */
    public synchronized long bytes() {
        return total;
    }

    /** Writes and fsyncs everything appended, finishes the background work and closes the files. */
    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (writerClosed) {
                return;
            }
            writerClosed = true;
            try {
                writeOut(0);
            } finally {
                try {
                    housekeeper.await();
                    writeCh.truncate(writeSeg.size); // the end marker, and what a recycled file held, go
                    writeCh.force(false);
                } finally {
                    writeCh.close();
                    reader.close();
                    housekeeper.close();
                }
            }
        }
        String failed = housekeeper.takeFailure();
        if (failed != null) {
            throw new IOException("spool " + dir + ": " + failed);
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
