package io.mcpwarden.flow;

import io.mcpwarden.capture.DecodedPacket;
import io.mcpwarden.model.FlowRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bidirectional flow table: looks up the flow of each TCP/UDP packet on its 5-tuple (either direction), orients
 * it from its initiator, reassembles TCP streams and reports everything to one {@link FlowListener}.
 *
 * <p>Not thread-safe: one table per capture thread. Time is capture time only ({@link DecodedPacket#tsNanos} and
 * the argument of {@link #expire(long)}); the table never reads the clock.
 *
 * <p>Orientation: the sender of a SYN without ACK is the initiator; if the first packet is a SYN+ACK, its
 * receiver is. Otherwise (mid-stream pickup, UDP) the first packet's sender is, except that a packet from a port
 * below 1024 to a port at or above 1024 is taken as coming from the server.
 *
 * <p>Flow ids come from a process-wide sequence starting at 1. Community ID v1 (seed 0) is computed once per flow.
 *
 * <p>Memory: at most {@link FlowConfig#maxFlows()} flows (the least recently used is evicted first) and at most
 * {@link FlowConfig#maxBufferTotal()} buffered out-of-order bytes.
 */
public final class FlowTable {
    static final int LIST_TCP = 0;
    static final int LIST_UDP = 1;
    static final int LIST_CLOSED = 2;
    /** {@link #process} runs {@link #expire} itself every this many packets (a power of two). */
    static final int EXPIRE_EVERY_PACKETS = 64;
    /** Hash buckets at most; chains grow beyond this. */
    static final int MAX_BUCKETS = 1 << 22;
    /** Ports below this are taken as server ports when no handshake tells the orientation. */
    static final int WELL_KNOWN_PORT_LIMIT = 1024;

    final FlowConfig config;
    private final FlowListener listener;
    private final Flow[] buckets;
    private final int mask;
    private final int hashSeed;
    private final Flow[] heads = new Flow[3];
    private final Flow[] tails = new Flow[3];
    private final CommunityId communityId = new CommunityId(0);
    private long now = Long.MIN_VALUE;
    private int active;
    private long tcpStreams;
    private long udpStreams;

    // counters (package-private: TcpStream updates them)
    long packets;
    long packetsIgnored;
    long flowsCreated;
    long flowsEnded;
    long flowsTimedOut;
    long flowsEvicted;
    long tcpGaps;
    long gapBytes;
    long retransmittedBytes;
    long overlapBytes;
    long overlapConflictBytes;
    long oooSegments;
    long outOfWindowSegments;
    long bufferedBytes;
    long bufferDrops;
    long deliveredBytes;
    long listenerErrors;

    /** The id of the next flow, then the step between two ids of this table. */
    private long nextFlowId;
    private final long flowIdStep;

    /** A table numbering its flows 1, 2, 3, … */
    public FlowTable(FlowConfig config, FlowListener listener) {
        this(config, listener, 1, 1);
    }

    /**
     * A table numbering its flows {@code firstId}, {@code firstId + step}, …: tables {@code 1..n} of one run with
     * step {@code n} never share a flow id, and a run numbers its flows the same way every time (whatever else
     * runs in the process).
     */
    public FlowTable(FlowConfig config, FlowListener listener, long firstId, long step) {
        if (firstId < 1 || step < 1) {
            throw new IllegalArgumentException("flow ids start at 1 or more with a step of 1 or more");
        }
        this.nextFlowId = firstId;
        this.flowIdStep = step;
        this.config = config == null ? FlowConfig.DEFAULTS : config;
        this.listener = listener;
        int n = 16;
        while (n < this.config.maxFlows() && n < MAX_BUCKETS) {
            n <<= 1;
        }
        this.buckets = new Flow[n];
        this.mask = n - 1;
        this.hashSeed = ThreadLocalRandom.current().nextInt();
    }

    /** Feeds one decoded packet; packets other than TCP/UDP over IPv4/IPv6 are counted and ignored. */
    public void process(DecodedPacket p) {
        if (p == null || (p.protocol != DecodedPacket.PROTO_TCP && p.protocol != DecodedPacket.PROTO_UDP)
                || (p.addrLen != 4 && p.addrLen != 16)) {
            packetsIgnored++;
            return;
        }
        packets++;
        final long ts = p.tsNanos;
        if (ts > now) {
            now = ts;
        }
        if ((packets & (EXPIRE_EVERY_PACKETS - 1)) == 0) {
            expire(now);
        }
        final int proto = p.protocol;
        final int len = p.addrLen;
        final int sport = p.srcPort & 0xffff;
        final int dport = p.dstPort & 0xffff;
        final boolean srcIsLo = CommunityId.compareEndpoints(p.srcAddr, sport, p.dstAddr, dport, len) <= 0;
        final byte[] lo = srcIsLo ? p.srcAddr : p.dstAddr;
        final byte[] hi = srcIsLo ? p.dstAddr : p.srcAddr;
        final int loPort = srcIsLo ? sport : dport;
        final int hiPort = srcIsLo ? dport : sport;
        final boolean tcp = proto == DecodedPacket.PROTO_TCP;
        final int flags = tcp ? p.tcpFlags : 0;
        final boolean syn = (flags & DecodedPacket.TCP_SYN) != 0;
        final boolean ackFlag = (flags & DecodedPacket.TCP_ACK) != 0;

        final long loA = addrA(lo, len);
        final long loB = addrB(lo, len);
        final long hiA = addrA(hi, len);
        final long hiB = addrB(hi, len);
        final int h = hash(loA, loB, loPort, hiA, hiB, hiPort, proto);
        Flow f = find(h, loA, loB, loPort, hiA, hiB, hiPort, len, proto);
        if (f != null) {
            if (f.closeReason != null) {
                if ((syn && !ackFlag) || ts - f.lastNanos >= config.tcpClosedLingerNanos()) {
                    end(f, f.closeReason, f.lastNanos);
                    f = null;
                }
            } else if (ts - f.lastNanos >= (tcp ? config.tcpIdleNanos() : config.udpIdleNanos())) {
                flowsTimedOut++;
                end(f, "timeout", f.lastNanos);
                f = null;
            }
        }
        if (f == null) {
            boolean senderInitiates;
            if (syn) {
                senderInitiates = !ackFlag;
            } else {
                senderInitiates = !(sport < WELL_KNOWN_PORT_LIMIT && dport >= WELL_KNOWN_PORT_LIMIT);
            }
            f = create(ts, h, lo, loPort, hi, hiPort, len, proto, senderInitiates == srcIsLo);
            f.loA = loA;
            f.loB = loB;
            f.hiA = hiA;
            f.hiB = hiB;
        }

        final Direction dir = srcIsLo == f.initiatorIsLo ? Direction.TO_SERVER : Direction.TO_CLIENT;
        final int d = dir.ordinal();
        f.packets[d]++;
        f.bytes[d] += Math.max(0, p.ipLength);
        if (ts > f.lastNanos) {
            f.lastNanos = ts;
        }
        if (f.closeReason == null && f.packets[1 - d] > 0) {
            f.state = "established";
        }
        touch(f);

        int plen = p.payloadLength;
        byte[] buf = p.payload;
        int off = p.payloadOffset;
        if (plen <= 0 || buf == null || off < 0 || off > buf.length || plen > buf.length - off) {
            plen = 0;
        }
        if (!tcp) {
            if (plen > 0) {
                deliver(f, dir, buf, off, plen, ts);
            }
            return;
        }
        TcpStream s = f.streams[d];
        if ((flags & DecodedPacket.TCP_RST) != 0) {
            close(f, "rst", ts);
            return;
        }
        if (ackFlag) {
            f.streams[1 - d].acked((int) p.ack, ts);
        }
        int seq = (int) p.seq;
        if (syn) {
            s.syn(seq);
            seq++;
        }
        if (plen > 0) {
            s.segment(seq, buf, off, plen, ts);
        }
        if ((flags & DecodedPacket.TCP_FIN) != 0) {
            s.fin(seq + plen);
            if (f.streams[1 - d].finSeen) {
                close(f, "fin", ts);
            }
        }
    }

    /**
     * Ends flows idle for longer than their timeout at capture time {@code nowNanos}, and closed flows whose
     * linger is over. Cheap when nothing is due: only the oldest flow of each kind is looked at.
     */
    public void expire(long nowNanos) {
        if (nowNanos > now) {
            now = nowNanos;
        }
        Flow f;
        while ((f = heads[LIST_CLOSED]) != null && nowNanos - f.lastNanos >= config.tcpClosedLingerNanos()) {
            end(f, f.closeReason, f.lastNanos);
        }
        while ((f = heads[LIST_TCP]) != null && nowNanos - f.lastNanos >= config.tcpIdleNanos()) {
            flowsTimedOut++;
            end(f, "timeout", f.lastNanos);
        }
        while ((f = heads[LIST_UDP]) != null && nowNanos - f.lastNanos >= config.udpIdleNanos()) {
            flowsTimedOut++;
            end(f, "timeout", f.lastNanos);
        }
    }

    /**
     * Ends every flow: buffered data is delivered, remaining holes are declared gaps, then onFlowEnd follows
     * with {@code reason} ({@code shutdown} if null), or {@code fin}/{@code rst} for flows already closed.
     */
    public void closeAll(String reason) {
        String r = reason == null ? "shutdown" : reason;
        long ts = now == Long.MIN_VALUE ? 0 : now;
        for (int l = 0; l < 3; l++) {
            Flow f;
            while ((f = heads[l]) != null) {
                end(f, f.closeReason != null ? f.closeReason : r, ts);
            }
        }
    }

    /** Number of flows in the table (closed flows still lingering included). */
    public int activeFlows() {
        return active;
    }

    public FlowStats stats() {
        return new FlowStats(packets, packetsIgnored, flowsCreated, flowsEnded, flowsTimedOut, flowsEvicted, active,
                tcpGaps, gapBytes, retransmittedBytes, overlapBytes, overlapConflictBytes, oooSegments,
                bufferedBytes, bufferDrops, deliveredBytes, listenerErrors);
    }

    /** Counters under stable snake_case names, in a fixed order. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets", packets);
        m.put("packets_ignored", packetsIgnored);
        m.put("flows_created", flowsCreated);
        m.put("flows_ended", flowsEnded);
        m.put("flows_timed_out", flowsTimedOut);
        m.put("flows_evicted", flowsEvicted);
        m.put("active_flows", (long) active);
        m.put("tcp_gaps", tcpGaps);
        m.put("gap_bytes", gapBytes);
        m.put("retransmitted_bytes", retransmittedBytes);
        m.put("overlap_bytes", overlapBytes);
        m.put("overlap_conflict_bytes", overlapConflictBytes);
        m.put("ooo_segments", oooSegments);
        m.put("out_of_window_segments", outOfWindowSegments);
        m.put("buffered_bytes", bufferedBytes);
        m.put("buffer_drops", bufferDrops);
        m.put("delivered_bytes", deliveredBytes);
        m.put("listener_errors", listenerErrors);
        return m;
    }

    // ---------------------------------------------------------------- internals

    private Flow create(long ts, int h, byte[] lo, int loPort, byte[] hi, int hiPort, int len, int proto,
                        boolean initiatorIsLo) {
        if (active >= config.maxFlows()) {
            evictOne();
        }
        byte[] ini = initiatorIsLo ? lo : hi;
        byte[] resp = initiatorIsLo ? hi : lo;
        int iniPort = initiatorIsLo ? loPort : hiPort;
        int respPort = initiatorIsLo ? hiPort : loPort;
        boolean tcp = proto == DecodedPacket.PROTO_TCP;
        long id = nextFlowId;
        nextFlowId += flowIdStep;
        FlowRef ref = new FlowRef(id, communityId.compute(ini, iniPort, resp, respPort, len, proto),
                IpText.format(ini, len), iniPort, IpText.format(resp, len), respPort, tcp ? "TCP" : "UDP");
        Flow f = new Flow(id, ref, proto, ts);
        f.streamIndex = tcp ? tcpStreams++ : udpStreams++;
        f.loPort = loPort;
        f.hiPort = hiPort;
        f.addrLen = len;
        f.hash = h;
        f.initiatorIsLo = initiatorIsLo;
        if (tcp) {
            f.streams = new TcpStream[] {new TcpStream(this, f, Direction.TO_SERVER),
                    new TcpStream(this, f, Direction.TO_CLIENT)};
        }
        int b = h & mask;
        f.bucketNext = buckets[b];
        buckets[b] = f;
        append(f, tcp ? LIST_TCP : LIST_UDP);
        active++;
        flowsCreated++;
        try {
            if (listener != null) {
                listener.onFlowStart(f);
            }
        } catch (RuntimeException e) {
            listenerErrors++;
        }
        return f;
    }

    /** Makes room: a closed flow first (its end was due anyway), else the least recently used open one. */
    private void evictOne() {
        Flow f = heads[LIST_CLOSED];
        if (f != null) {
            end(f, f.closeReason, f.lastNanos);
            return;
        }
        Flow t = heads[LIST_TCP];
        Flow u = heads[LIST_UDP];
        f = t == null ? u : u == null ? t : (u.lastNanos < t.lastNanos ? u : t);
        if (f != null) {
            flowsEvicted++;
            end(f, "evicted", now == Long.MIN_VALUE ? f.lastNanos : now);
        }
    }

    private void close(Flow f, String reason, long ts) {
        if (f.closeReason != null) {
            return;
        }
        f.closeReason = reason;
        f.closeNanos = ts;
        f.state = "closed";
        unlink(f);
        append(f, LIST_CLOSED);
    }

    /** Removes the flow, flushes its streams and reports its end. */
    private void end(Flow f, String reason, long ts) {
        if (f.list < 0) {
            return;
        }
        unlink(f);
        removeFromBucket(f);
        active--;
        if (f.streams != null) {
            f.streams[0].flush(ts);
            f.streams[1].flush(ts);
        }
        flowsEnded++;
        try {
            if (listener != null) {
                // the listener sees the state the flow reached: closed after FIN/RST, else new or established
                listener.onFlowEnd(f, reason, ts);
            }
        } catch (RuntimeException e) {
            listenerErrors++;
        }
        f.state = "closed";
    }

    void deliver(Flow f, Direction dir, byte[] buf, int off, int len, long ts) {
        deliveredBytes += len;
        try {
            if (listener != null) {
                listener.onData(f, dir, buf, off, len, ts);
            }
        } catch (RuntimeException e) {
            listenerErrors++;
        }
    }

    void gap(Flow f, Direction dir, long missing, long ts) {
        f.gaps++;
        tcpGaps++;
        gapBytes += missing;
        try {
            if (listener != null) {
                listener.onGap(f, dir, missing, ts);
            }
        } catch (RuntimeException e) {
            listenerErrors++;
        }
    }

    private int hash(long loA, long loB, int loPort, long hiA, long hiB, int hiPort, int proto) {
        long x = (hashSeed ^ (proto * 0x9E3779B9L)) & 0xffffffffL;
        x = (x ^ loA) * 0x9E3779B97F4A7C15L;
        x = (x ^ loB) * 0x9E3779B97F4A7C15L;
        x = (x ^ hiA) * 0x9E3779B97F4A7C15L;
        x = (x ^ hiB) * 0x9E3779B97F4A7C15L;
        x = (x ^ ((long) loPort << 16 | hiPort)) * 0x9E3779B97F4A7C15L;
        int h = (int) (x ^ (x >>> 32));
        // murmur3 finalizer
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private Flow find(int h, long loA, long loB, int loPort, long hiA, long hiB, int hiPort, int len, int proto) {
        for (Flow f = buckets[h & mask]; f != null; f = f.bucketNext) {
            if (f.hash == h && f.loPort == loPort && f.hiPort == hiPort && f.addrLen == len && f.protocol() == proto
                    && f.loA == loA && f.hiA == hiA && f.loB == loB && f.hiB == hiB) {
                return f;
            }
        }
        return null;
    }

    /** The first (IPv4: only) eight address bytes as a big-endian long. */
    private static long addrA(byte[] a, int len) {
        if (len == 4) {
            return (a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8 | (a[3] & 0xffL);
        }
        return be64(a, 0);
    }

    /** The last eight bytes of an IPv6 address; 0 for IPv4. */
    private static long addrB(byte[] a, int len) {
        return len == 4 ? 0L : be64(a, 8);
    }

    private static long be64(byte[] a, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (a[o + i] & 0xffL);
        }
        return v;
    }

    private void removeFromBucket(Flow f) {
        int b = f.hash & mask;
        Flow prev = null;
        for (Flow c = buckets[b]; c != null; prev = c, c = c.bucketNext) {
            if (c == f) {
                if (prev == null) {
                    buckets[b] = c.bucketNext;
                } else {
                    prev.bucketNext = c.bucketNext;
                }
                f.bucketNext = null;
                return;
            }
        }
    }

    private void append(Flow f, int list) {
        f.list = list;
        f.lruNext = null;
        f.lruPrev = tails[list];
        if (tails[list] == null) {
            heads[list] = f;
        } else {
            tails[list].lruNext = f;
        }
        tails[list] = f;
    }

    private void unlink(Flow f) {
        int l = f.list;
        if (l < 0) {
            return;
        }
        if (f.lruPrev == null) {
            heads[l] = f.lruNext;
        } else {
            f.lruPrev.lruNext = f.lruNext;
        }
        if (f.lruNext == null) {
            tails[l] = f.lruPrev;
        } else {
            f.lruNext.lruPrev = f.lruPrev;
        }
        f.lruPrev = null;
        f.lruNext = null;
        f.list = -1;
    }

    /** Moves a flow to the most recent end of its list. */
    private void touch(Flow f) {
        int l = f.list;
        if (tails[l] != f) {
            unlink(f);
            append(f, l);
        }
    }
}
