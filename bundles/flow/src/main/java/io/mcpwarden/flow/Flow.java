package io.mcpwarden.flow;

import io.mcpwarden.model.FlowRef;

/**
 * One bidirectional flow (TCP connection or UDP conversation), oriented from its initiator.
 * Owned by the {@link FlowTable}; listeners may read it and keep their own state in {@link #attachment()}.
 */
public final class Flow {
    private final long id;
    private final FlowRef ref;
    private final int protocol;
    private final long startNanos;
    long lastNanos;
    final long[] packets = new long[2];
    final long[] bytes = new long[2];
    String state = "new";
    long gaps;
    private Object attachment;

    // ---- table internals (owned by FlowTable, single-threaded) ----
    /** Creation order among flows of the same protocol in the owning table, from 0. */
    long streamIndex;
    /**
     * Canonical endpoints: "lo" is the smaller (address, port) pair, as in Community ID. Addresses are held
     * as two big-endian longs each (IPv4 in the low 32 bits of the first, the second 0).
     */
    long loA;
    long loB;
    long hiA;
    long hiB;
    int loPort;
    int hiPort;
    int addrLen;
    int hash;
    /** True when the initiator is the "lo" endpoint. */
    boolean initiatorIsLo;
    /** Next flow in the same hash bucket. */
    Flow bucketNext;
    /** Neighbours in the table's recency list. */
    Flow lruPrev;
    Flow lruNext;
    /** Which recency list holds the flow (FlowTable.LIST_*). */
    int list = -1;
    /** Reassembly state per direction (TCP only), indexed by Direction.ordinal(). */
    TcpStream[] streams;
    /** Reason recorded when the flow closed (fin/rst), null while open. */
    String closeReason;
    long closeNanos;

    Flow(long id, FlowRef ref, int protocol, long startNanos) {
        this.id = id;
        this.ref = ref;
        this.protocol = protocol;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    /** Flow id: positive, unique within the process (a process-wide sequence starting at 1). */
    public long id() { return id; }

    /**
     * Creation order of this flow among the flows of the same protocol in its table, from 0. On a capture file
     * read from the start this matches Wireshark's {@code tcp.stream} / {@code udp.stream} numbering as long as
     * both split conversations the same way.
     */
    public long streamIndex() { return streamIndex; }

    /** 5-tuple, Community ID and flow id, oriented initiator → responder. */
    public FlowRef ref() { return ref; }

    /** IP protocol number (6 TCP, 17 UDP). */
    public int protocol() { return protocol; }

    public long startNanos() { return startNanos; }

    public long lastNanos() { return lastNanos; }

    public long packets(Direction d) { return packets[d.ordinal()]; }

    /** IP bytes in one direction. */
    public long bytes(Direction d) { return bytes[d.ordinal()]; }

    /** {@code new}, {@code established} or {@code closed}. */
    public String state() { return state; }

    /** Number of stream gaps seen in either direction. */
    public long gaps() { return gaps; }

    /** Per-flow state of the listener (dissector state); null until set. */
    public Object attachment() { return attachment; }

    public void attach(Object attachment) { this.attachment = attachment; }
}
