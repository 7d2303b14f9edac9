package io.mcpwarden.capture;

import static io.mcpwarden.capture.TestFrames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFilesTest {
    @TempDir
    Path dir;

    static final long T0 = 1_700_000_000_123_456_789L;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    record Frame(long ts, int linkType, byte[] data, long fileOffset) {
    }

    record Result(List<Frame> frames, CaptureStatus status, long position, long size) {
    }

    static Result readAll(Path p) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (PacketSource s = CaptureFiles.open(p)) {
            PacketRecord r = new PacketRecord();
            while (s.next(r)) {
                frames.add(new Frame(r.tsNanos, r.linkType, Arrays.copyOfRange(r.data, r.offset, r.offset + r.caplen),
                        r.fileOffset));
            }
            assertFalse(s.next(r), "stays at end");
            return new Result(frames, s.status(), s.position(), s.size());
        }
    }

    private static byte[][] sampleFrames() {
        return new byte[][] {
            ether(0x0800, ipv4(17, udp(1000, 53, payload(10, 1)))),
            ether(0x0800, ipv4(6, tcp(40000, 80, 1, 2, 0x18, new byte[0], payload(33, 2)))),
            payload(1, 9)};
    }

    @Test
    void classicPcapAllByteOrdersAndResolutions() throws IOException {
        byte[][] frames = sampleFrames();
        long[] ts = {T0, T0 + 1_000_000_007L, T0 + 2_000_000_000L};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean nanos : new boolean[] {false, true}) {
                Result r = readAll(write("f.pcap", pcap(order, nanos, 1, ts, frames)));
                assertEquals(CaptureStatus.OK, r.status(), order + " nanos=" + nanos);
                assertEquals(3, r.frames().size());
                for (int i = 0; i < 3; i++) {
                    long expect = nanos ? ts[i] : ts[i] / 1000 * 1000;
                    assertEquals(expect, r.frames().get(i).ts(), "timestamp " + i + " " + order + " nanos=" + nanos);
                    assertArrayEquals(frames[i], r.frames().get(i).data());
                    assertEquals(1, r.frames().get(i).linkType());
                }
                assertEquals(24, r.frames().get(0).fileOffset());
                assertEquals(r.size(), r.position());
            }
        }
    }

    @Test
    void pcapngTwoInterfacesLinkTypesAndResolutions() throws IOException {
        byte[] eth = ether(0x0800, ipv4(17, udp(1, 2, payload(5, 3))));
        byte[] raw = ipv4(6, tcp(3, 4, 5, 6, 2, new byte[0], new byte[0]));
        long secs = 1_700_000_000L;
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            Ng ng = new Ng(order).shb()
                    .idb(1, 65535, 9, 0)            // Ethernet, nanoseconds
                    .idb(101, 65535, 0x80 | 20, 0)  // raw IP, 2^-20 s
                    .idb(1, 0, -1, 0)               // default microseconds
                    .idb(1, 0, 3, 100);             // milliseconds with a 100 s offset
            ng.block(0x0BAD, payload(10, 0));       // unknown block: skipped
            ng.epb(0, secs * 1_000_000_000L + 123_456_789L, eth);
            ng.epb(1, (secs << 20) | (1L << 19), raw); // + 0.5 s
            ng.epb(2, secs * 1_000_000L + 42L, eth);
            ng.epb(3, secs * 1_000L + 7L, raw);
            ng.pb(1, (secs << 20) | (1L << 18), raw);  // obsolete Packet Block, + 0.25 s
            ng.spb(eth);                               // Simple Packet Block on interface 0
            Result r = readAll(write("f.pcapng", ng.bytes()));
            assertEquals(CaptureStatus.OK, r.status(), order.toString());
            List<Frame> f = r.frames();
            assertEquals(6, f.size());
            assertEquals(secs * 1_000_000_000L + 123_456_789L, f.get(0).ts());
            assertEquals(1, f.get(0).linkType());
            assertArrayEquals(eth, f.get(0).data());
            assertEquals(secs * 1_000_000_000L + 500_000_000L, f.get(1).ts());
            assertEquals(101, f.get(1).linkType());
            assertArrayEquals(raw, f.get(1).data());
            assertEquals(secs * 1_000_000_000L + 42_000L, f.get(2).ts());
            assertEquals((secs + 100) * 1_000_000_000L + 7_000_000L, f.get(3).ts());
            assertEquals(secs * 1_000_000_000L + 250_000_000L, f.get(4).ts());
            assertEquals(101, f.get(4).linkType());
            assertEquals(1, f.get(5).linkType());
            assertArrayEquals(eth, f.get(5).data());
            assertEquals(f.get(4).ts(), f.get(5).ts(), "SPB carries the last timestamp seen");
        }
    }

    @Test
    void pcapngSeveralSectionsInBothByteOrders() throws IOException {
        byte[] a = payload(20, 1);
        byte[] b = payload(21, 2);
        byte[] s1 = new Ng(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 0, -1, 0).epb(0, 1_000_000L, a).bytes();
        byte[] s2 = new Ng(ByteOrder.BIG_ENDIAN).shb().idb(113, 0, 9, 0).epb(0, 5L, b).bytes();
        Result r = readAll(write("s.pcapng", concat(s1, s2)));
        assertEquals(CaptureStatus.OK, r.status());
        assertEquals(2, r.frames().size());
        assertEquals(1_000_000_000L, r.frames().get(0).ts());
        assertEquals(1, r.frames().get(0).linkType());
        assertEquals(5L, r.frames().get(1).ts());
        assertEquals(113, r.frames().get(1).linkType());
        assertArrayEquals(b, r.frames().get(1).data());
        assertEquals(s1.length + 28 + 32, r.frames().get(1).fileOffset(), "second section offsets");

        // a new section forgets the interfaces of the previous one
        byte[] s3 = new Ng(ByteOrder.BIG_ENDIAN).shb().epb(0, 5L, b).bytes();
        Result r2 = readAll(write("s3.pcapng", concat(s1, s3)));
        assertEquals(1, r2.frames().size());
        assertEquals("truncated", r2.status().state());
        assertTrue(r2.status().message().contains("unknown interface"), r2.status().message());
        assertEquals(s1.length + 28, r2.status().offset());
    }

    @Test
    void notACapture() throws IOException {
        assertNotCapture(new byte[0], 0);
        assertNotCapture(bytes(0xa1), 0);
        assertNotCapture("GET / HTTP/1.1\r\n\r\n".getBytes(), 0);
        byte[] header = pcap(ByteOrder.BIG_ENDIAN, false, 1, new long[0], new byte[0][]);
        assertNotCapture(Arrays.copyOf(header, 23), 0);
        byte[] badVersion = header.clone();
        badVersion[5] = 9;
        assertNotCapture(badVersion, 4);
        byte[] ng = new Ng(ByteOrder.LITTLE_ENDIAN).shb().bytes();
        byte[] badBom = ng.clone();
        badBom[8] = 0x11;
        assertNotCapture(badBom, 8);
        assertNotCapture(Arrays.copyOf(ng, 11), 0);
    }

    private void assertNotCapture(byte[] content, long offset) throws IOException {
        Path p = write("n.bin", content);
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureFiles.open(p).close());
        assertEquals(offset, e.offset(), e.getMessage());
    }

    @Test
    void damageAfterGoodDataStopsWithTruncated() throws IOException {
        byte[][] frames = sampleFrames();
        byte[] good = pcap(ByteOrder.LITTLE_ENDIAN, false, 1, new long[] {T0, T0, T0}, frames);
        int second = 24 + 16 + frames[0].length;
        // absurd caplen in the second record
        byte[] absurd = good.clone();
        absurd[second + 8] = 0;
        absurd[second + 9] = 0;
        absurd[second + 10] = 0x10; // 0x00100000 = 1 MiB
        absurd[second + 11] = 0;
        Result r = readAll(write("a.pcap", absurd));
        assertEquals(1, r.frames().size());
        assertEquals(new CaptureStatus("truncated", second, r.status().message()), r.status());
        assertTrue(r.status().message().contains("absurd"), r.status().message());

        // pcapng: block length not a multiple of 4, too small, caplen beyond the block, unknown interface
        byte[] eth = ether(0x0800, ipv4(17, udp(1, 2, payload(5, 3))));
        byte[] base = new Ng(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 0, -1, 0).epb(0, 1, eth).bytes();
        int epb2 = base.length;
        byte[] two = concat(base, new Ng(ByteOrder.LITTLE_ENDIAN).epb(0, 2, eth).bytes());
        byte[] odd = two.clone();
        odd[epb2 + 4] += 1;
        assertTruncatedAt(odd, epb2, 1, "invalid block length");
        byte[] small = two.clone();
        small[epb2 + 4] = 8;
        small[epb2 + 5] = 0;
        assertTruncatedAt(small, epb2, 1, "invalid block length");
        byte[] bigCap = two.clone();
        bigCap[epb2 + 20] = (byte) 200;
        assertTruncatedAt(bigCap, epb2, 1, "exceeds block length");
        byte[] badIf = two.clone();
        badIf[epb2 + 8] = 3;
        assertTruncatedAt(badIf, epb2, 1, "unknown interface 3");
        byte[] huge = two.clone();
        huge[epb2 + 23] = 0x7f;
        assertTruncatedAt(huge, epb2, 1, "absurd");
    }

    private void assertTruncatedAt(byte[] content, long offset, int frames, String reason) throws IOException {
        Result r = readAll(write("d.pcapng", content));
        assertEquals(frames, r.frames().size());
        assertEquals("truncated", r.status().state());
        assertEquals(offset, r.status().offset());
        assertTrue(r.status().message().contains(reason), r.status().message());
    }

    @Test
    void truncatedAtEveryByteOffset() throws IOException {
        byte[][] frames = sampleFrames();
        byte[] pcap = pcap(ByteOrder.BIG_ENDIAN, true, 1, new long[] {T0, T0 + 1, T0 + 2}, frames);
        List<Integer> pcapEnds = new ArrayList<>();
        int e = 24;
        for (byte[] f : frames) {
            e += 16 + f.length;
            pcapEnds.add(e);
        }
        sweep(pcap, 24, pcapEnds, List.of());

        Ng ng = new Ng(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 0, 9, 0);
        int headerLen = ng.bytes().length;
        List<Integer> ngEnds = new ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            ng.epb(0, T0 + i, frames[i]);
            ngEnds.add(ng.bytes().length);
        }
        assertEquals(28 + 32, headerLen);
        sweep(ng.bytes(), 28, ngEnds, List.of(headerLen));
    }

    /** Every prefix: never throws (except not-a-capture for a short header), delivers the complete records. */
    private void sweep(byte[] file, int headerLen, List<Integer> recordEnds, List<Integer> otherBoundaries) throws IOException {
        for (int cut = 0; cut <= file.length; cut++) {
            Path p = write("cut.bin", Arrays.copyOf(file, cut));
            if (cut < headerLen) {
                assertThrows(CaptureFormatException.class, () -> readAll(p), "cut " + cut);
                continue;
            }
            Result r = readAll(p);
            int complete = 0;
            while (complete < recordEnds.size() && recordEnds.get(complete) <= cut) {
                complete++;
            }
            assertEquals(complete, r.frames().size(), "cut " + cut);
            boolean atBoundary = cut == file.length || recordEnds.contains(cut) || cut == headerLen
                    || otherBoundaries.contains(cut);
            if (atBoundary) {
                assertTrue(r.status().ok(), "cut " + cut + ": " + r.status());
            } else {
                assertEquals("truncated", r.status().state(), "cut " + cut);
                assertNotNull(r.status().message());
                assertTrue(r.status().offset() >= 0 && r.status().offset() < cut, "cut " + cut);
            }
        }
    }

    @Test
    void largeFileCrossesTheReadWindow() throws IOException {
        int n = 12000;
        byte[][] frames = new byte[n][];
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            frames[i] = payload(200 + (i % 1300), i);
            ts[i] = T0 + i * 1000L;
        }
        Path p = write("big.pcap", pcap(ByteOrder.LITTLE_ENDIAN, true, 1, ts, frames));
        assertTrue(Files.size(p) > FileWindow.WINDOW_BYTES * 2L);
        try (PacketSource s = CaptureFiles.open(p)) {
            PacketRecord r = new PacketRecord();
            int i = 0;
            byte[] buffer = null;
            while (s.next(r)) {
                assertArrayEquals(frames[i], Arrays.copyOfRange(r.data, r.offset, r.offset + r.caplen), "frame " + i);
                assertEquals(ts[i], r.tsNanos);
                if (r.caplen <= 2048) {
                    if (buffer != null) {
                        assertSame(buffer, r.data, "record buffer is reused");
                    }
                    buffer = r.data;
                }
                i++;
            }
            assertEquals(n, i);
            assertTrue(s.status().ok());
            assertEquals(s.size(), s.position());
        }
    }

    @Test
    void timestampConversion() {
        assertEquals(1_500_000_000L, PcapngReader.toNanos(3, 0x81, 0));
        assertEquals(1_000_000_000L, PcapngReader.toNanos(1, 0, 0));
        assertEquals(123L, PcapngReader.toNanos(1234, 10, 0));
        assertEquals(2_000_000_000L + 999_999_999L, PcapngReader.toNanos((2L << 40) | ((1L << 40) - 1), 0x80 | 40, 0));
        assertEquals(5_000_000_000L + 1000L, PcapngReader.toNanos(1, 6, 5));
    }
}
