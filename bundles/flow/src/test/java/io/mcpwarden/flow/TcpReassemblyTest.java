package io.mcpwarden.flow;

import static io.mcpwarden.flow.Direction.TO_CLIENT;
import static io.mcpwarden.flow.Direction.TO_SERVER;
import static io.mcpwarden.flow.Pkt.ACK;
import static io.mcpwarden.flow.Pkt.FIN;
import static io.mcpwarden.flow.Pkt.PSH;
import static io.mcpwarden.flow.Pkt.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpReassemblyTest {
    static final String C = "10.0.0.1";
    static final String S = "10.0.0.2";
    static final int CP = 40000;
    static final int SP = 80;

    final Recorder r = new Recorder();
    final FlowTable t = new FlowTable(FlowConfig.DEFAULTS, r);
    long ts = 1_000_000_000L;
    long cAck = 5001;

    /** Client segment carrying {@code data} at relative sequence {@code rel} (ISN 1000, so data starts 1001). */
    void c(long seq, String data) {
        t.process(Pkt.tcp(ts++, C, CP, S, SP, ACK | PSH, seq, cAck, data));
    }

    void s(long seq, long ack, String data) {
        t.process(Pkt.tcp(ts++, S, SP, C, CP, ACK | PSH, seq, ack, data));
    }

    void handshake(long cIsn, long sIsn) {
        t.process(Pkt.tcp(ts++, C, CP, S, SP, SYN, cIsn, 0, ""));
        t.process(Pkt.tcp(ts++, S, SP, C, CP, SYN | ACK, sIsn, cIsn + 1, ""));
        t.process(Pkt.tcp(ts++, C, CP, S, SP, ACK, cIsn + 1, sIsn + 1, ""));
    }

    @Test
    void inOrderWithHandshakeAndFin() {
        handshake(1000, 5000);
        c(1001, "GET / HTTP/1.1\r\n\r\n");
        s(5001, 1019, "HTTP/1.1 200 OK\r\n\r\n");
        s(5020, 1019, "body");
        Flow f = r.only();
        assertEquals("established", f.state());
        t.process(Pkt.tcp(ts++, C, CP, S, SP, FIN | ACK, 1019, 5024, ""));
        t.process(Pkt.tcp(ts++, S, SP, C, CP, FIN | ACK, 5024, 1020, ""));
        t.process(Pkt.tcp(ts++, C, CP, S, SP, ACK, 1020, 5025, ""));
        assertEquals("closed", f.state());
        assertEquals("GET / HTTP/1.1\r\n\r\n", r.text(f, TO_SERVER));
        assertEquals("HTTP/1.1 200 OK\r\n\r\nbody", r.text(f, TO_CLIENT));
        assertEquals(5, f.packets(TO_SERVER));
        assertEquals(4, f.packets(TO_CLIENT));
        assertEquals(5 * 40 + 18, f.bytes(TO_SERVER));
        assertEquals(0, f.gaps());
        assertEquals(0, t.stats().tcpGaps());
        assertEquals(C, f.ref().srcIp());
        assertEquals(CP, f.ref().srcPort());
        assertEquals(SP, f.ref().destPort());
        assertEquals("TCP", f.ref().proto());
        assertTrue(f.id() > 0);
        assertEquals(f.id(), f.ref().flowId());
    }

    @Test
    void outOfOrderSegmentsAreBufferedThenDelivered() {
        handshake(1000, 5000);
        c(1011, "cccccccccc");
        c(1021, "dddddddddd");
        assertEquals(20, t.stats().bufferedBytes());
        assertEquals("", r.text(r.only(), TO_SERVER));
        c(1001, "aaaaabbbbb");
        assertEquals("aaaaabbbbbccccccccccdddddddddd", r.text(r.only(), TO_SERVER));
        assertEquals(0, t.stats().bufferedBytes());
        assertEquals(2, t.stats().oooSegments());
        assertEquals(0, t.stats().tcpGaps());
    }

    @Test
    void retransmissionIsDroppedOnce() {
        handshake(1000, 5000);
        c(1001, "hello");
        c(1001, "hello");
        c(1006, " world");
        c(1006, " world");
        c(1003, "llo w");
        assertEquals("hello world", r.text(r.only(), TO_SERVER));
        assertEquals(16, t.stats().retransmittedBytes());
        assertEquals(0, t.stats().overlapBytes());
    }

    @Test
    void overlapsKeepFirstSeenBytes() {
        handshake(1000, 5000);
        c(1001, "AAAAAAAAAA");              // [0,10) delivered
        c(1016, "xxxxx");                   // [15,20) buffered
        c(1006, "BBBBBBBBBBBBB");           // [5,18): 5 delivered-overlap, [10,15) new, [15,18) conflicts
        assertEquals("AAAAAAAAAABBBBBxxxxx", r.text(r.only(), TO_SERVER));
        assertEquals(5 + 3, t.stats().overlapBytes());
        assertEquals(3, t.stats().overlapConflictBytes());
        // an out-of-order segment spanning two buffered ones fills only the holes between them
        c(1031, "33");                      // [30,32)
        c(1036, "77");                      // [35,37)
        c(1029, "zzzzzzzzzzzz");            // [28,40): new [28,30) [32,35) [37,40)
        c(1021, "yyyyyyy");                 // [20,27)
        assertEquals("AAAAAAAAAABBBBBxxxxxyyyyyyy", r.text(r.only(), TO_SERVER));
        c(1028, "Q");                        // [27,28): closes the hole
        assertEquals("AAAAAAAAAABBBBBxxxxxyyyyyyyQzz33zzz77zzz", r.text(r.only(), TO_SERVER));
        assertEquals(0, t.stats().bufferedBytes());
    }

    @Test
    void missingSegmentBecomesOneGapWhenPeerAcksPastIt() {
        handshake(1000, 5000);
        c(1001, "x".repeat(100));
        c(1201, "z".repeat(100));           // [100,200) was never captured
        assertEquals(0, t.stats().tcpGaps());
        s(5001, 1301, "");                  // the server has everything up to 300
        s(5001, 1301, "");                  // duplicate ACK: no second gap
        c(1301, "w".repeat(50));
        Flow f = r.only();
        assertEquals(List.of(100L), r.gapEvents);
        assertEquals(1, f.gaps());
        assertEquals(100, t.stats().gapBytes());
        assertEquals("x".repeat(100) + "z".repeat(100) + "w".repeat(50), r.text(f, TO_SERVER));
        int gapAt = r.events.indexOf("gap TO_SERVER 100");
        assertTrue(gapAt > 0 && r.events.get(gapAt + 1).equals("data TO_SERVER 100"), r.events.toString());
    }

    @Test
    void ackPastHoleWithNothingBufferedSkipsToAck() {
        handshake(1000, 5000);
        c(1001, "abc");
        s(5001, 1011, "");                  // 7 bytes the capture missed
        c(1011, "def");
        assertEquals(List.of(7L), r.gapEvents);
        assertEquals("abcdef", r.text(r.only(), TO_SERVER));
    }

    @Test
    void ackOfFinIsNotAGap() {
        handshake(1000, 5000);
        c(1001, "abc");
        t.process(Pkt.tcp(ts++, C, CP, S, SP, FIN | ACK, 1004, 5001, ""));
        s(5001, 1005, "");
        t.closeAll(null);
        assertEquals(0, t.stats().tcpGaps());
    }

    @Test
    void holesAtFlowEndAreGapsAndBufferedDataIsDelivered() {
        handshake(1000, 5000);
        c(1001, "aaaa");
        c(1011, "cccc");                    // hole [4,10)
        t.process(Pkt.tcp(ts++, C, CP, S, SP, FIN | ACK, 1025, 5001, "eeee"));  // hole [14,24), FIN at 28
        t.closeAll("shutdown");
        Flow f = r.only();
        assertEquals("aaaacccceeee", r.text(f, TO_SERVER));
        assertEquals(List.of(6L, 10L), r.gapEvents);
        assertEquals("shutdown", r.endReason.get(f));
        assertEquals(0, t.stats().bufferedBytes());
        assertEquals("end shutdown", r.events.get(r.events.size() - 1));
    }

    @Test
    void missingTailBeforeFinIsAGapAtEnd() {
        handshake(1000, 5000);
        c(1001, "aaaa");
        t.process(Pkt.tcp(ts++, C, CP, S, SP, FIN | ACK, 1009, 5001, ""));   // bytes [4,8) missing
        t.closeAll(null);
        assertEquals(List.of(4L), r.gapEvents);
    }

    @Test
    void sequenceWrapsAt2Pow32() {
        long isn = 0xFFFF_FFF0L;             // data starts at 2^32 - 15
        handshake(isn, 0xFFFF_FFFFL);
        cAck = 0;
        long d0 = isn + 1;
        c((d0 + 20) & 0xFFFF_FFFFL, "CCCCCCCCCC");      // after the wrap, out of order
        c(d0, "AAAAAAAAAA");
        c((d0 + 10) & 0xFFFF_FFFFL, "BBBBBBBBBB");      // crosses 2^32
        c((d0 + 30) & 0xFFFF_FFFFL, "DDDDD");
        s(0, (d0 + 35) & 0xFFFF_FFFFL, "resp");          // server ISN 2^32-1: data at 0
        assertEquals("AAAAAAAAAABBBBBBBBBBCCCCCCCCCCDDDDD", r.text(r.only(), TO_SERVER));
        assertEquals("resp", r.text(r.only(), TO_CLIENT));
        assertEquals(0, t.stats().tcpGaps());
        assertEquals(0, t.stats().retransmittedBytes());
    }

    @Test
    void midStreamPickupStartsAtFirstDataSegment() {
        c(777_777, "second half of a request");
        s(9000, 777_801, "reply");
        c(777_801, " and more");
        Flow f = r.only();
        assertEquals(C, f.ref().srcIp());
        assertEquals("second half of a request and more", r.text(f, TO_SERVER));
        assertEquals("reply", r.text(f, TO_CLIENT));
        assertEquals(0, f.gaps());
    }

    @Test
    void synPayloadStartsAfterIsn() {
        t.process(Pkt.tcp(ts++, C, CP, S, SP, SYN, 100, 0, "early"));
        t.process(Pkt.tcp(ts++, S, SP, C, CP, SYN | ACK, 500, 106, ""));
        c(106, "-rest");
        assertEquals("early-rest", r.text(r.only(), TO_SERVER));
    }

    @Test
    void zeroLengthSegmentsDeliverNothing() {
        handshake(1000, 5000);
        for (int i = 0; i < 10; i++) {
            t.process(Pkt.tcp(ts++, C, CP, S, SP, ACK, 1001, 5001, ""));
        }
        assertEquals(0, t.stats().deliveredBytes());
        assertTrue(r.events.stream().noneMatch(e -> e.startsWith("data")));
    }

    /** Random permutations with duplicates of a stream's segments always reassemble to the original. */
    @Test
    void randomOrderAndDuplicatesReassembleExactly() {
        Random rnd = new Random(42);
        for (int round = 0; round < 50; round++) {
            Recorder rec = new Recorder();
            FlowTable table = new FlowTable(FlowConfig.DEFAULTS, rec);
            byte[] stream = new byte[2000 + rnd.nextInt(3000)];
            rnd.nextBytes(stream);
            long isn = rnd.nextLong() & 0xFFFF_FFFFL;
            java.util.List<int[]> segs = new java.util.ArrayList<>();
            for (int off = 0; off < stream.length; ) {
                int n = Math.min(stream.length - off, 1 + rnd.nextInt(300));
                segs.add(new int[] {off, n});
                // sometimes a resend that overlaps a neighbour
                if (rnd.nextInt(4) == 0) {
                    int o = Math.max(0, off - rnd.nextInt(50));
                    segs.add(new int[] {o, Math.min(stream.length - o, n + rnd.nextInt(80))});
                }
                off += n;
            }
            java.util.Collections.shuffle(segs, rnd);
            table.process(Pkt.tcp(1, C, CP, S, SP, SYN, isn, 0, ""));
            long time = 2;
            for (int[] sg : segs) {
                byte[] b = java.util.Arrays.copyOfRange(stream, sg[0], sg[0] + sg[1]);
                table.process(Pkt.tcp(time++, C, CP, S, SP, ACK, isn + 1 + sg[0], 1, b));
            }
            assertArrayEquals(stream, rec.bytes(rec.only(), TO_SERVER), "round " + round);
            assertEquals(0, table.stats().tcpGaps());
            assertEquals(0, table.stats().bufferedBytes());
            assertEquals(0, table.stats().overlapConflictBytes());
        }
    }

    @Test
    void perDirectionCapForcesGapsAndBoundsMemory() {
        FlowConfig cfg = FlowConfig.DEFAULTS.withBuffers(1000, 1 << 20);
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(cfg, rec);
        table.process(Pkt.tcp(1, C, CP, S, SP, SYN, 0, 0, ""));
        // byte 0 never arrives; 500 segments of 100 bytes follow
        byte[] seg = new byte[100];
        long max = 0;
        for (int i = 0; i < 500; i++) {
            java.util.Arrays.fill(seg, (byte) i);
            table.process(Pkt.tcp(2 + i, C, CP, S, SP, ACK, 2 + i * 100L, 1, seg));
            max = Math.max(max, table.stats().bufferedBytes());
        }
        assertTrue(max <= 1000, "buffered " + max);
        assertTrue(table.stats().bufferDrops() > 0);
        assertEquals(1, table.stats().tcpGaps());          // only the first byte is missing
        assertEquals(1, table.stats().gapBytes());
        table.closeAll(null);
        Flow f = rec.only();
        assertEquals(500 * 100, rec.bytes(f, TO_SERVER).length);
        assertEquals(0, table.stats().bufferedBytes());
    }

    @Test
    void floodOfTinyHolesAcrossFlowsStaysWithinTotalCap() {
        FlowConfig cfg = FlowConfig.DEFAULTS.withBuffers(1 << 20, 5000);
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(cfg, rec);
        Random rnd = new Random(7);
        long max = 0;
        byte[] one = {1};
        for (int i = 0; i < 200_000; i++) {
            int port = 20000 + rnd.nextInt(50);
            // every second byte only: each segment is a new out-of-order piece
            long seq = 2 + 2L * rnd.nextInt(1 << 20);
            table.process(Pkt.tcp(i, C, port, S, SP, ACK, seq, 1, one));
            if ((i & 1023) == 0) {
                max = Math.max(max, table.stats().bufferedBytes());
            }
        }
        assertTrue(max <= 5000, "buffered " + max);
        assertTrue(table.stats().bufferedBytes() <= 5000);
        table.closeAll(null);
        assertEquals(0, table.stats().bufferedBytes());
    }

    @Test
    void segmentCountIsCapped() {
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(FlowConfig.DEFAULTS, rec);
        table.process(Pkt.tcp(0, C, CP, S, SP, SYN, 0, 0, ""));
        byte[] one = {7};
        for (int i = 0; i < TcpStream.MAX_SEGMENTS * 3; i++) {
            table.process(Pkt.tcp(1 + i, C, CP, S, SP, ACK, 3 + 2L * i, 1, one));   // 1-byte holes
        }
        TcpStream st = rec.only().streams[0];
        assertTrue(st.segCount <= TcpStream.MAX_SEGMENTS, "segments " + st.segCount);
        assertTrue(table.stats().bufferDrops() > 0);
    }

    @Test
    void bothDirectionsAreIndependent() {
        handshake(1000, 5000);
        s(5011, 1001, "later");
        c(1001, "req");
        s(5001, 1004, "first-----");
        assertEquals("first-----later", r.text(r.only(), TO_CLIENT));
        assertEquals("req", r.text(r.only(), TO_SERVER));
        assertEquals("first-----later".length(), r.bytes(r.only(), TO_CLIENT).length);
        assertEquals(new String("req".getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII),
                r.text(r.only(), TO_SERVER));
    }
}
