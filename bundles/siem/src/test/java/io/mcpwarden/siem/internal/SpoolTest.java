package io.mcpwarden.siem.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
