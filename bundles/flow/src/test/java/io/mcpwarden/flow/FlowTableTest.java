package io.mcpwarden.flow;

import static io.mcpwarden.flow.Direction.TO_CLIENT;
import static io.mcpwarden.flow.Direction.TO_SERVER;
import static io.mcpwarden.flow.Pkt.ACK;
import static io.mcpwarden.flow.Pkt.FIN;
import static io.mcpwarden.flow.Pkt.PSH;
import static io.mcpwarden.flow.Pkt.RST;
import static io.mcpwarden.flow.Pkt.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpwarden.capture.DecodedPacket;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    static final long SEC = 1_000_000_000L;
    static final String C = "10.0.0.1";
    static final String S = "10.0.0.2";

    final Recorder r = new Recorder();
    final FlowTable t = new FlowTable(FlowConfig.DEFAULTS, r);

    @Test
    void synAckSeenFirstOrientsToItsReceiver() {
        t.process(Pkt.tcp(1, S, 8080, C, 50000, SYN | ACK, 9, 101, ""));
        Flow f = r.only();
        assertEquals(C, f.ref().srcIp());
        assertEquals(50000, f.ref().srcPort());
        assertEquals(8080, f.ref().destPort());
        assertEquals(1, f.packets(TO_CLIENT));
        assertEquals(0, f.packets(TO_SERVER));
        assertEquals("new", f.state());
    }

    @Test
    void flowIdsAreNumberedPerTableFromItsFirstIdByItsStep() {
        for (int k = 0; k < 3; k++) {
            t.process(Pkt.udp(k, C, 5000 + k, S, 53, "q"));
        }
        assertEquals(List.of(1L, 2L, 3L), r.started.stream().map(f -> f.ref().flowId()).toList(),
                "another table in the same process does not shift the numbers");
        Recorder r2 = new Recorder();
        FlowTable shard = new FlowTable(FlowConfig.DEFAULTS, r2, 2, 3);
        for (int k = 0; k < 3; k++) {
            shard.process(Pkt.udp(k, C, 5000 + k, S, 53, "q"));
        }
        assertEquals(List.of(2L, 5L, 8L), r2.started.stream().map(f -> f.ref().flowId()).toList());
    }

    @Test
    void synOrientsToItsSenderEvenFromALowPort() {
        t.process(Pkt.tcp(1, C, 80, S, 50000, SYN, 9, 0, ""));
        assertEquals(80, r.only().ref().srcPort());
        assertEquals(C, r.only().ref().srcIp());
    }

    @Test
    void midStreamFromWellKnownPortIsReversed() {
        t.process(Pkt.tcp(1, S, 443, C, 51000, ACK | PSH, 7, 9, "server bytes"));
        t.process(Pkt.tcp(2, C, 51000, S, 443, ACK | PSH, 9, 19, "client"));
        Flow f = r.only();
        assertEquals(C, f.ref().srcIp());
        assertEquals(443, f.ref().destPort());
        assertEquals("server bytes", r.text(f, TO_CLIENT));
        assertEquals("client", r.text(f, TO_SERVER));
        assertEquals("established", f.state());
    }

    @Test
    void midStreamBetweenHighPortsKeepsFirstSender() {
        t.process(Pkt.tcp(1, S, 3001, C, 45064, ACK | PSH, 7, 9, "x"));
        assertEquals(S, r.only().ref().srcIp());
        assertEquals(3001, r.only().ref().srcPort());
    }

    @Test
    void udpDatagramsAreDeliveredOneByOneAndBothWaysShareAFlow() {
        t.process(Pkt.udp(1, C, 5353, S, 53, "q1"));
        t.process(Pkt.udp(2, S, 53, C, 5353, "a1"));
        t.process(Pkt.udp(3, C, 5353, S, 53, ""));
        Flow f = r.only();
        assertEquals(List.of("start 5353>53", "data TO_SERVER 2", "data TO_CLIENT 2"), r.events);
        assertEquals(2, f.packets(TO_SERVER));
        assertEquals(17, f.protocol());
        assertEquals("established", f.state());
        assertEquals(0, f.streamIndex());
    }

    @Test
    void ipv6FlowsGetCanonicalText() {
        DecodedPacket p = Pkt.udp(1, "2001:db8:0:0:0:0:0:1", 40000, "2001:db8::53", 53, "q");
        t.process(p);
        assertEquals("2001:db8::1", r.only().ref().srcIp());
        assertEquals("2001:db8::53", r.only().ref().destIp());
        assertEquals(CommunityId.of(Pkt.addr("2001:db8::1"), 40000, Pkt.addr("2001:db8::53"), 53, 16, 17),
                r.only().ref().communityId());
    }

    @Test
    void finBothWaysEndsAfterLingerAndTrailingPacketsStayInTheFlow() {
        handshakeAndClose(0, 1000);
        Flow f = r.only();
        assertEquals("closed", f.state());
        assertNull(r.endReason.get(f));
        // final ACK and a retransmitted FIN arrive within the linger
        t.process(Pkt.tcp(2 * SEC, C, 40000, S, 80, ACK, 1005, 2002, ""));
        t.process(Pkt.tcp(2 * SEC + 1, S, 80, C, 40000, FIN | ACK, 2001, 1005, ""));
        assertEquals(1, t.stats().flowsCreated());
        t.expire(2 * SEC + FlowConfig.DEFAULTS.tcpClosedLingerNanos() - 1);
        assertNull(r.endReason.get(f));
        t.expire(2 * SEC + 1 + FlowConfig.DEFAULTS.tcpClosedLingerNanos());
        assertEquals("fin", r.endReason.get(f));
        assertEquals(2 * SEC + 1, r.endTs.get(f));
        assertEquals(0, t.activeFlows());
        assertEquals(1, t.stats().flowsEnded());
    }

    @Test
    void newSynOnClosedTupleStartsANewFlow() {
        handshakeAndClose(0, 1000);
        t.process(Pkt.tcp(SEC + 5, C, 40000, S, 80, SYN, 777, 0, ""));
        assertEquals(2, r.started.size());
        assertEquals("fin", r.endReason.get(r.started.get(0)));
        assertNotEquals(r.started.get(0).id(), r.started.get(1).id());
        assertEquals(1, r.started.get(1).streamIndex());
        assertEquals("new", r.started.get(1).state());
    }

    @Test
    void packetAfterLingerStartsANewFlow() {
        handshakeAndClose(0, 1000);
        long late = SEC + FlowConfig.DEFAULTS.tcpClosedLingerNanos() + 1;
        t.process(Pkt.tcp(late, C, 40000, S, 80, ACK, 1005, 2002, ""));
        assertEquals(2, r.started.size());
        assertEquals("fin", r.endReason.get(r.started.get(0)));
    }

    @Test
    void rstEndsWithReasonRst() {
        t.process(Pkt.tcp(1, C, 40000, S, 80, SYN, 0, 0, ""));
        t.process(Pkt.tcp(2, S, 80, C, 40000, RST | ACK, 0, 1, ""));
        t.process(Pkt.tcp(3, C, 40000, S, 80, ACK, 1, 1, ""));   // trailing, absorbed
        assertEquals(1, t.stats().flowsCreated());
        assertEquals("closed", r.only().state());
        t.closeAll("shutdown");
        assertEquals("rst", r.endReason.get(r.only()));
    }

    @Test
    void idleTimeoutsUseCaptureTime() {
        FlowConfig cfg = new FlowConfig(100, 1 << 16, 1 << 20, 10 * SEC, 2 * SEC, SEC);
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(cfg, rec);
        table.process(Pkt.udp(0, C, 5000, S, 53, "q"));
        table.process(Pkt.tcp(0, C, 40000, S, 80, SYN, 0, 0, ""));
        table.expire(2 * SEC - 1);
        assertTrue(rec.endReason.isEmpty());
        table.expire(2 * SEC);
        assertEquals("timeout", rec.endReason.get(rec.started.get(0)));
        assertNull(rec.endReason.get(rec.started.get(1)));
        table.expire(10 * SEC);
        assertEquals("timeout", rec.endReason.get(rec.started.get(1)));
        assertEquals(2, table.stats().flowsTimedOut());
        // the same tuple after its timeout is a new flow, found without an expire() call
        table.process(Pkt.udp(20 * SEC, C, 5000, S, 53, "q"));
        table.process(Pkt.udp(30 * SEC, C, 5000, S, 53, "q"));
        assertEquals(4, rec.started.size());
        assertEquals(3, table.stats().flowsTimedOut());
    }

    @Test
    void processExpiresPeriodically() {
        FlowConfig cfg = new FlowConfig(100, 1 << 16, 1 << 20, 10 * SEC, 2 * SEC, SEC);
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(cfg, rec);
        table.process(Pkt.udp(0, C, 5000, S, 53, "q"));
        for (int i = 0; i < FlowTable.EXPIRE_EVERY_PACKETS; i++) {
            table.process(Pkt.udp(5 * SEC + i, C, 6000, S, 53, "q"));
        }
        assertEquals("timeout", rec.endReason.get(rec.started.get(0)));
    }

    @Test
    void leastRecentlyUsedFlowIsEvictedAtMaxFlows() {
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(3), rec);
        table.process(Pkt.udp(1, C, 1001, S, 53, "a"));
        table.process(Pkt.tcp(2, C, 1002, S, 80, SYN, 0, 0, ""));
        table.process(Pkt.udp(3, C, 1003, S, 53, "c"));
        table.process(Pkt.udp(4, C, 1001, S, 53, "a again"));     // 1001 is recent now
        table.process(Pkt.udp(5, C, 1004, S, 53, "d"));            // evicts 1002 (TCP)
        assertEquals("evicted", rec.endReason.get(rec.started.get(1)));
        assertEquals(1, rec.endReason.size());
        table.process(Pkt.udp(6, C, 1005, S, 53, "e"));            // evicts 1003
        assertEquals("evicted", rec.endReason.get(rec.started.get(2)));
        assertEquals(3, table.activeFlows());
        assertEquals(2, table.stats().flowsEvicted());
        for (int i = 0; i < 1000; i++) {
            table.process(Pkt.udp(7 + i, C, 2000 + i, S, 53, "x"));
            assertTrue(table.activeFlows() <= 3);
        }
    }

    @Test
    void evictionFlushesBufferedData() {
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(1), rec);
        table.process(Pkt.tcp(1, C, 40000, S, 80, SYN, 0, 0, ""));
        table.process(Pkt.tcp(2, C, 40000, S, 80, ACK, 5, 1, "late"));
        table.process(Pkt.udp(3, C, 1, S, 53, "x"));
        Flow f = rec.started.get(0);
        assertEquals("late", rec.text(f, TO_SERVER));
        assertEquals(4, rec.gapBytes.get(f)[0]);
        assertEquals("evicted", rec.endReason.get(f));
        assertEquals(0, table.stats().bufferedBytes());
    }

    @Test
    void badInputIsCountedNeverThrown() {
        t.process(null);
        DecodedPacket icmp = Pkt.udp(1, C, 0, S, 0, "x");
        icmp.protocol = 1;
        t.process(icmp);
        DecodedPacket noAddr = Pkt.udp(1, C, 1, S, 2, "x");
        noAddr.addrLen = 0;
        t.process(noAddr);
        assertEquals(3, t.stats().packetsIgnored());
        DecodedPacket lying = Pkt.tcp(2, C, 40000, S, 80, ACK, 1, 1, "abc");
        lying.payloadLength = 1_000_000;
        t.process(lying);
        DecodedPacket negative = Pkt.udp(3, C, 5, S, 53, "abc");
        negative.payloadOffset = -1;
        t.process(negative);
        DecodedPacket nullBuf = Pkt.udp(4, C, 6, S, 53, "abc");
        nullBuf.payload = null;
        t.process(nullBuf);
        assertEquals(0, t.stats().deliveredBytes());
        assertEquals(3, t.stats().flowsCreated());
        t.closeAll(null);
        assertEquals(3, t.stats().flowsEnded());
    }

    @Test
    void throwingListenerIsContained() {
        FlowListener bad = new FlowListener() {
            @Override public void onFlowStart(Flow flow) { throw new IllegalStateException("start"); }
            @Override public void onData(Flow f, Direction d, byte[] b, int o, int l, long ts) {
                throw new IllegalStateException("data");
            }
            @Override public void onGap(Flow f, Direction d, long n, long ts) { throw new IllegalStateException(); }
            @Override public void onFlowEnd(Flow f, String reason, long ts) { throw new IllegalStateException(); }
        };
        FlowTable table = new FlowTable(FlowConfig.DEFAULTS, bad);
        table.process(Pkt.udp(1, C, 5, S, 53, "abc"));
        table.process(Pkt.udp(2, C, 5, S, 53, "abc"));
        table.closeAll(null);
        assertEquals(4, table.stats().listenerErrors());
        assertEquals(0, table.activeFlows());
    }

    @Test
    void countersHaveStableNames() {
        t.process(Pkt.udp(1, C, 5, S, 53, "abc"));
        Map<String, Long> m = t.counters();
        for (String k : List.of("flows_created", "flows_ended", "flows_timed_out", "flows_evicted", "active_flows",
                "tcp_gaps", "gap_bytes", "retransmitted_bytes", "overlap_bytes", "ooo_segments", "buffered_bytes",
                "buffer_drops")) {
            assertTrue(m.containsKey(k), k);
        }
        assertEquals(1L, m.get("flows_created"));
        assertEquals(1L, m.get("active_flows"));
        assertEquals(3L, m.get("delivered_bytes"));
        assertTrue(m.keySet().stream().allMatch(k -> k.matches("[a-z_]+")));
    }

    @Test
    void flowIdsArePositiveAndUnique() {
        for (int i = 0; i < 100; i++) {
            t.process(Pkt.udp(i, C, 1000 + i, S, 53, "x"));
        }
        assertEquals(100, r.started.stream().mapToLong(Flow::id).filter(id -> id > 0).distinct().count());
        assertEquals(99, r.started.get(99).streamIndex());
    }

    /** The in-order hot path allocates nothing per packet (measured with the thread allocation counter). */
    @Test
    void inOrderPathDoesNotAllocatePerPacket() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FlowListener sink = new FlowListener() {
            long n;
            @Override public void onFlowStart(Flow flow) { }
            @Override public void onData(Flow f, Direction d, byte[] b, int o, int l, long ts) { n += l; }
            @Override public void onGap(Flow f, Direction d, long m, long ts) { }
            @Override public void onFlowEnd(Flow f, String reason, long ts) { }
        };
        FlowTable table = new FlowTable(FlowConfig.DEFAULTS, sink);
        DecodedPacket c = Pkt.tcp(0, C, 40000, S, 80, SYN, 0, 0, new byte[1000]);
        c.payloadLength = 0;
        table.process(c);
        DecodedPacket srv = Pkt.tcp(0, S, 80, C, 40000, SYN | ACK, 0, 1, new byte[0]);
        table.process(srv);
        c.tcpFlags = ACK | PSH;
        c.ack = 1;
        c.payloadLength = 1000;
        long seq = 1;
        for (int i = 0; i < 20_000; i++) {   // warm-up (JIT)
            c.seq = seq;
            c.tsNanos = i;
            table.process(c);
            seq += 1000;
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            c.seq = seq & 0xFFFF_FFFFL;
            c.tsNanos = 20_000 + i;
            table.process(c);
            seq += 1000;
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < n / 4, "allocated " + allocated + " bytes for " + n + " packets");
        assertEquals(0, table.stats().tcpGaps());
        assertEquals(220_000L * 1000, table.stats().deliveredBytes());
        assertFalse(table.counters().isEmpty());
    }

    private void handshakeAndClose(long t0, long sIsnBase) {
        t.process(Pkt.tcp(t0 + 1, C, 40000, S, 80, SYN, 1000, 0, ""));
        t.process(Pkt.tcp(t0 + 2, S, 80, C, 40000, SYN | ACK, 2000, 1001, ""));
        t.process(Pkt.tcp(t0 + 3, C, 40000, S, 80, ACK | PSH, 1001, 2001, "ping"));
        t.process(Pkt.tcp(t0 + 4, C, 40000, S, 80, FIN | ACK, 1005, 2001, ""));
        t.process(Pkt.tcp(SEC, S, 80, C, 40000, FIN | ACK, 2001, 1006, ""));
    }
}
