package io.mcpwarden.siem.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolTest {
    @TempDir
    Path dir;

    static byte[] m(int i) {
        return ("message " + i + " " + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendReadCommitReopen() throws Exception {
        String id;
        try (Spool s = Spool.open(dir, 1 << 20, 0)) {
            id = s.id();
            for (int i = 0; i < 1000; i++) {
                s.append(m(i));
            }
            s.flush(false);
            List<byte[]> out = new ArrayList<>();
            assertEquals(1, s.read(1 << 20, out));
            assertEquals(1000, out.size());
            assertEquals("message 999 " + "x".repeat(49), new String(out.get(999), StandardCharsets.UTF_8));
            s.rewind(); // nothing committed: all again
            out.clear();
            s.read(1 << 20, out);
            assertEquals(1000, out.size());
            out.clear();
            s.rewind();
            s.read(100, out); // partial batch
            Spool.Pos p = s.sendPosition();
            s.commit(p);
            assertEquals(1000 - out.size(), s.backlog());
        }
        try (Spool s = Spool.open(dir, 1 << 20, 0)) {
            assertEquals(id, s.id());
            List<byte[]> out = new ArrayList<>();
            long first = s.read(1 << 20, out);
            assertEquals(1000 - (first - 1), out.size());
            assertEquals(new String(m((int) first - 1)), new String(out.get(0)));
            assertEquals(1001, s.nextSeq());
        }
    }

    @Test
    void tornTailIsCutOnOpen() throws Exception {
        try (Spool s = Spool.open(dir, 1 << 20, 0)) {
            for (int i = 0; i < 10; i++) {
                s.append(m(i));
            }
        }
        Path seg;
        try (Stream<Path> l = Files.list(dir)) {
            seg = l.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
        }
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // crash in the middle of the last record
        }
        try (Spool s = Spool.open(dir, 1 << 20, 0)) {
            assertEquals(10, s.nextSeq(), "the torn 10th record is gone, seq 10 is reused");
            List<byte[]> out = new ArrayList<>();
            s.read(1 << 20, out);
            assertEquals(9, out.size());
            Spool.TornTail t = s.tornTail();
            assertNotNull(t, "the cut is reported");
            assertEquals(size - 3, t.offset() + t.bytes());
            assertEquals(10, t.nextSeq());
            s.append(m(42));
            s.flush(true);
            out.clear();
            s.read(1 << 20, out);
            assertEquals(new String(m(42)), new String(out.get(0)));
        }
    }

    @Test
    void capDropsOldestAndCounts() throws Exception {
        try (Spool s = Spool.open(dir, 8192, 0)) {
            for (int i = 0; i < 2000; i++) {
                s.append(m(i));
            }
            s.flush(false);
            Spool.Drops d = s.takeDrops();
            assertTrue(d != null && d.count() > 1000, String.valueOf(d));
            assertEquals(1, d.firstSeq());
            assertNull(s.takeDrops(), "handed out once");
            assertTrue(s.bytes() <= 8192 + 4096, "bytes " + s.bytes());
            List<byte[]> out = new ArrayList<>();
            long first = s.read(1 << 20, out);
            assertEquals(d.lastSeq() + 1, first);
            assertEquals(2000 - d.count(), out.size());
        }
    }

    /** A payload of {@code len} bytes that names its index and is different at every position. */
    static byte[] sized(int i, int len) {
        byte[] p = new byte[len];
        Random r = new Random(i);
        r.nextBytes(p);
        byte[] head = ("#" + i + "#").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, p, 0, Math.min(head.length, len));
        return p;
    }

    /** Reads everything from the send position on, in batches of {@code batchBytes}. */
    static List<byte[]> readAll(Spool s, int batchBytes) throws Exception {
        List<byte[]> all = new ArrayList<>();
        List<byte[]> out = new ArrayList<>();
        long start = s.sendPosition().seq();
        while (true) {
            out.clear();
            long first = s.read(batchBytes, out);
            if (out.isEmpty()) {
                return all;
            }
            assertEquals(start + all.size(), first, "batches follow each other");
            all.addAll(out);
        }
    }

    static Path onlySegment(Path dir) throws Exception {
        try (Stream<Path> l = Files.list(dir)) {
            List<Path> segs = l.filter(p -> p.getFileName().toString().startsWith("seg-")).toList();
            assertEquals(1, segs.size(), segs.toString());
            return segs.get(0);
        }
    }

    /**
     * Records of many sizes — around the 1 MiB write buffer and read chunk, and larger than both — cross every
     * batch and chunk boundary; they come back whole and in order, from memory while the writer is close and
     * from the file after a restart.
     */
    @Test
    void recordsAcrossWriteBatchesAndReadChunks() throws Exception {
        int[] lens = {1, 700, Spool.WRITE_BUFFER - Spool.HEADER, 5, Spool.WRITE_BUFFER - Spool.HEADER + 1, 0, 333_333,
                Spool.READ_CHUNK + 12_345, 64, Spool.WRITE_BUFFER / 2, Spool.WRITE_BUFFER / 2, Spool.WRITE_BUFFER / 2,
                3 * Spool.READ_CHUNK, 17};
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // small ones, so that chunk ends fall inside records
            written.add(sized(i, 200 + (i * 37) % 900));
        }
        for (int i = 0; i < lens.length; i++) {
            written.add(sized(10_000 + i, lens[i]));
        }
        try (Spool s = Spool.open(dir, 1L << 30, 0)) {
            for (int i = 0; i < written.size(); i++) {
                s.append(written.get(i));
                if (i % 97 == 0) {
                    s.flush(false);
                }
            }
            s.flush(false);
            assertSame(written, readAll(s, 256 * 1024));
            s.rewind(); // nothing committed: the same again (now from memory and disk mixed)
            assertSame(written, readAll(s, 64 * 1024));
        }
        try (Spool s = Spool.open(dir, 1L << 30, 0)) { // a restart: all from the file
            assertNull(s.tornTail());
            assertEquals(written.size() + 1, s.nextSeq());
            for (int batch : new int[] {1, 4096, 256 * 1024, 8 << 20}) {
                s.rewind();
                assertSame(written, readAll(s, batch));
            }
        }
    }

    private static void assertSame(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "records");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + (i + 1));
        }
    }

    /**
     * A crash in the middle of writing a batch: the file ends inside the batch. The complete records are kept,
     * the torn rest is reported and cut off, and the next record continues the sequence after the last kept one.
     */
    @Test
    void halfWrittenBatchIsCutOnOpenAndReported() throws Exception {
        Path seg;
        long firstBatch;
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            for (int i = 0; i < 10; i++) {
                s.append(m(i));
            }
            s.flush(false);
            seg = onlySegment(dir);
            firstBatch = Files.size(seg) - Spool.HEADER; // the end marker after a write: the next one overwrites it
            byte[] marker = Arrays.copyOfRange(Files.readAllBytes(seg), (int) firstBatch, (int) firstBatch + 4);
            assertArrayEquals(new byte[] {-1, -1, -1, -1}, marker, "end marker");
            for (int i = 10; i < 30; i++) { // the second batch: one write call
                s.append(m(i));
            }
            s.flush(false);
        }
        long both = Files.size(seg);
        long cut = firstBatch + (both - firstBatch) / 2;
        byte[] file = Files.readAllBytes(seg);
        int complete = 0;
        for (long off = firstBatch; ; complete++) { // records of the second batch wholly before the cut
            long len = ((file[(int) off] & 0xffL) << 24) | ((file[(int) off + 1] & 0xff) << 16)
                    | ((file[(int) off + 2] & 0xff) << 8) | (file[(int) off + 3] & 0xff);
            if (off + Spool.HEADER + len > cut) {
                break;
            }
            off += Spool.HEADER + len;
        }
        assertTrue(complete > 0 && complete < 20, "the cut lies inside the batch: " + complete);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            Spool.TornTail t = s.tornTail();
            assertNotNull(t, "reported");
            assertEquals(seg, t.segment());
            assertEquals(cut, t.offset() + t.bytes());
            assertTrue(t.bytes() > 0 && t.bytes() < Spool.HEADER + 60, String.valueOf(t));
            assertTrue(t.toString().contains("cut off") && t.toString().contains(seg.toString()), t.toString());
            assertEquals(11 + complete, s.nextSeq());
            assertEquals(11 + complete, t.nextSeq());
            assertEquals(t.offset(), Files.size(seg), "the torn bytes are gone from the file");
            List<byte[]> all = readAll(s, 1 << 20);
            assertEquals(10 + complete, all.size());
            for (int i = 0; i < all.size(); i++) {
                assertArrayEquals(m(i), all.get(i));
            }
            s.append(m(99)); // continues right after the last complete record
            s.flush(false);
            List<byte[]> out = new ArrayList<>();
            assertEquals(11 + complete, s.read(1 << 20, out));
            assertArrayEquals(m(99), out.get(0));
        }
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            assertNull(s.tornTail(), "a clean file after the cut");
            assertEquals(12 + complete, s.nextSeq());
        }
    }

    /** A crash (no close) right after a completed write: the end marker says so, nothing is reported or lost. */
    @Test
    void crashAfterACompletedWriteIsNoTornTail() throws Exception {
        Path crashed = dir.resolve("crashed");
        try (Spool s = Spool.open(dir.resolve("live"), 1 << 30, 0)) {
            for (int i = 0; i < 50; i++) {
                s.append(m(i));
            }
            s.flush(false);
            copyDir(dir.resolve("live"), crashed);
        }
        try (Spool s = Spool.open(crashed, 1 << 30, 0)) {
            assertNull(s.tornTail(), String.valueOf(s.tornTail()));
            assertEquals(51, s.nextSeq());
            assertEquals(50, readAll(s, 1 << 20).size());
        }
    }

    /** Garbage after the last record (e.g. zeros from a crash that extended the file) is a torn tail too. */
    @Test
    void garbageAfterTheLastRecordIsCut() throws Exception {
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            for (int i = 0; i < 5; i++) {
                s.append(m(i));
            }
        }
        Path seg = onlySegment(dir);
        long good = Files.size(seg);
        Files.write(seg, new byte[4096], StandardOpenOption.APPEND);
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            assertEquals(new Spool.TornTail(seg, good, 4096, 6), s.tornTail());
            assertEquals(5, readAll(s, 1 << 20).size());
        }
    }

    /**
     * Records the sender took from memory are still on disk until committed: after a restart without a commit
     * they are read again (same seqs); after a commit only the rest is.
     */
    @Test
    void recordsReadFromMemoryAreKeptUntilCommitted() throws Exception {
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            for (int i = 0; i < 100; i++) {
                s.append(m(i));
            }
            s.flush(false);
            assertEquals(100, readAll(s, 1 << 20).size()); // served by the in-memory tail
            assertEquals(0, s.unsent());
            assertEquals(100, s.backlog());
        }
        Spool.Pos p;
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            List<byte[]> all = readAll(s, 1 << 20);
            assertEquals(100, all.size(), "nothing committed: everything again");
            assertArrayEquals(m(0), all.get(0));
            s.rewind();
            List<byte[]> out = new ArrayList<>();
            s.read(500, out);
            p = s.sendPosition();
            s.commit(p);
        }
        try (Spool s = Spool.open(dir, 1 << 30, 0)) {
            List<byte[]> out = new ArrayList<>();
            assertEquals(p.seq(), s.read(1 << 20, out));
            assertEquals(101 - p.seq(), out.size());
            assertArrayEquals(m((int) p.seq() - 1), out.get(0));
        }
    }

    /**
     * A sender far behind reads from the file until it reaches the records still in memory, then from memory;
     * the switch is seamless, also across segment rolls.
     */
    @Test
    void slowSenderSwitchesFromDiskToMemory() throws Exception {
        long cap = 64L << 20; // 8 MiB segments
        int n = 40_000;
        try (Spool s = Spool.open(dir, cap, 0)) {
            List<byte[]> got = new ArrayList<>();
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                s.append(sized(i, 300 + i % 200));
                if (i % 1000 == 999) {
                    s.flush(false);
                    if (i % 5000 == 4999) { // now and then a little: falls behind the memory tail
                        out.clear();
                        s.read(64 * 1024, out);
                        got.addAll(out);
                    }
                }
            }
            s.flush(false);
            got.addAll(readAll(s, 256 * 1024));
            assertEquals(n, got.size());
            for (int i = 0; i < n; i++) {
                assertArrayEquals(sized(i, 300 + i % 200), got.get(i), "record " + (i + 1));
            }
            long segments;
            try (Stream<Path> l = Files.list(dir)) {
                segments = l.filter(f -> f.getFileName().toString().startsWith("seg-")).count();
            }
            assertTrue(segments >= 2, "rolled: " + segments);
        }
    }

    /**
     * The writer appends while the reader reads (from memory, or from the file without the writer's lock) and
     * falls behind now and then, so that the cap deletes segments under it: every record read is intact, read
     * batches are consecutive and in order, and records read + records reported dropped = records appended.
     */
    @Test
    void concurrentWriterAndReaderUnderTheCap() throws Exception {
        int n = 200_000;
        try (Spool s = Spool.open(dir, 16L << 20, 0)) { // 2 MiB segments, 4 MiB in memory
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        s.append(sized(i, 100 + i % 400));
                        if (i % 500 == 499) {
                            s.flush(false);
                        }
                    }
                    s.flush(false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            long got = 0;
            long dropped = 0;
            long next = 1;
            List<byte[]> out = new ArrayList<>();
            for (int batch = 0; writer.isAlive() || s.unsent() > 0; batch++) {
                out.clear();
                long first = s.read(64 * 1024, out);
                Spool.Drops d = s.takeDrops();
                dropped += d == null ? 0 : d.count();
                if (out.isEmpty()) {
                    Thread.sleep(1);
                    continue;
                }
                assertTrue(first >= next, "in order: " + first + " after " + next);
                for (int k = 0; k < out.size(); k++) {
                    int i = (int) (first + k - 1);
                    assertArrayEquals(sized(i, 100 + i % 400), out.get(k), "record " + (i + 1));
                }
                next = first + out.size();
                got += out.size();
                if (batch % 200 == 199) {
                    Thread.sleep(40); // fall behind
                }
            }
            writer.join();
            Spool.Drops d = s.takeDrops();
            dropped += d == null ? 0 : d.count();
            assertEquals(n, got + dropped, "read " + got + ", dropped " + dropped);
            assertEquals(n + 1, next, "the newest are read");
        }
    }

    static long count(Path dir, String prefix) throws Exception {
        try (Stream<Path> l = Files.list(dir)) {
            return l.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    /** Writes {@code n} records from {@code from} on, reading and committing as a sender would. */
    static void writeReadCommit(Spool s, int from, int n) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            s.append(sized(i, 500 + i % 300));
            if (i % 100 == 99) {
                s.flush(false);
                out.clear();
                s.read(1 << 20, out);
                s.commit(s.sendPosition());
            }
        }
        s.flush(true); // also waits for the background work
    }

    /**
     * Delivered segments become spares that later segments overwrite: the directory never holds more than the
     * live segments plus two spares, the records come back intact, and a clean close leaves no spare and no
     * leftovers behind (nothing reported on the next open).
     */
    @Test
    void deliveredSegmentsAreRecycled() throws Exception {
        long cap = 1 << 20; // 128 KiB segments
        try (Spool s = Spool.open(dir, cap, 0)) {
            writeReadCommit(s, 0, 3000); // ~2 MiB: many segments, each retired once delivered
            assertTrue(count(dir, "spare-") > 0, "spares kept");
            assertTrue(count(dir, "spare-") + count(dir, "seg-") <= 4, "files: " + count(dir, "seg-") + " segments");
            for (int i = 3000; i < 3200; i++) { // not read: stays in the spool, partly in recycled files
                s.append(sized(i, 500 + i % 300));
            }
        }
        assertTrue(count(dir, "spare-") > 0, "spares stay until the next open");
        try (Spool s = Spool.open(dir, cap, 0)) {
            assertNull(s.tornTail());
            assertEquals(0, count(dir, "spare-"), "deleted on open");
            List<byte[]> all = readAll(s, 1 << 20);
            assertEquals(200, all.size());
            for (int k = 0; k < all.size(); k++) {
                assertArrayEquals(sized(3000 + k, 500 + (3000 + k) % 300), all.get(k), "record " + (3001 + k));
            }
        }
    }

    /**
     * A crash (no close) while the newest segment is a recycled file: behind its records lie records of the
     * file's earlier life. On open they are cut off without a torn-tail report; every flushed record is kept.
     * A real torn write in such a file is still reported.
     */
    @Test
    void crashInARecycledSegment() throws Exception {
        long cap = 1 << 20;
        Path crashed = dir.resolve("crashed");
        Path segment;
        long records;
        long rolledTo;
        try (Spool s = Spool.open(dir.resolve("live"), cap, 0)) {
            writeReadCommit(s, 0, 3000);
            long spares = count(dir.resolve("live"), "spare-");
            assertTrue(spares > 0);
            List<byte[]> out = new ArrayList<>();
            int i = 3000;
            while (count(dir.resolve("live"), "spare-") == spares) { // until the next segment takes a spare
                s.append(sized(i, 500 + i % 300));
                i++;
                if (i % 20 == 0) {
                    s.flush(false);
                    out.clear();
                    s.read(1 << 20, out);
                    s.commit(s.sendPosition());
                }
            }
            copyDir(dir.resolve("live"), dir.resolve("rolled")); // a crash before the new segment's first write
            rolledTo = i;
            for (int k = 0; k < 10; k++, i++) { // a few records at the start of the recycled file, not sent
                s.append(sized(i, 500 + i % 300));
            }
            s.flush(true);
            records = s.nextSeq() - 1;
            copyDir(dir.resolve("live"), crashed); // what a kill -9 leaves: no close
        }
        try (Stream<Path> l = Files.list(crashed)) {
            segment = l.filter(p -> p.getFileName().toString().startsWith("seg-")).max(Path::compareTo).orElseThrow();
        }
        long before = Files.size(segment);
        Path tornCopy = dir.resolve("torn");
        copyDir(crashed, tornCopy);
        try (Spool s = Spool.open(crashed, cap, 0)) {
            assertNull(s.tornTail(), "leftovers of a recycled file are no torn write");
            assertTrue(Files.size(segment) < before, "leftovers cut: " + Files.size(segment) + " < " + before);
            assertEquals(records + 1, s.nextSeq());
            List<byte[]> all = readAll(s, 1 << 20);
            assertTrue(all.size() >= 10, "unsent records kept: " + all.size());
            int last = (int) records - 1;
            assertArrayEquals(sized(last, 500 + last % 300), all.get(all.size() - 1));
        }
        try (Spool s = Spool.open(dir.resolve("rolled"), cap, 0)) {
            assertNull(s.tornTail(), "a spare that just became the segment holds no torn write");
            assertTrue(s.nextSeq() >= rolledTo - 20, "flushed records kept: " + s.nextSeq());
        }
        Path torn = tornCopy.resolve(segment.getFileName());
        long lastStart = Files.size(segment) - Spool.HEADER - (500 + (int) (records - 1) % 300);
        try (FileChannel ch = FileChannel.open(torn, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), lastStart + Spool.HEADER + 7); // CRC breaks
        }
        try (Spool s = Spool.open(tornCopy, cap, 0)) {
            assertNotNull(s.tornTail(), "a damaged last record in a recycled file is reported");
            assertEquals(lastStart, s.tornTail().offset());
            assertEquals(records, s.nextSeq());
        }
    }

    /**
     * A copy of a live spool directory, as a crash would leave it: a file the spool renames or removes meanwhile
     * (its position is written to a temporary file, then renamed) is simply not there.
     */
    private static void copyDir(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> l = Files.list(from)) {
            for (Path p : (Iterable<Path>) l::iterator) {
                try {
                    Files.copy(p, to.resolve(p.getFileName()));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // renamed or removed between the listing and the copy
                }
            }
        }
    }
}
