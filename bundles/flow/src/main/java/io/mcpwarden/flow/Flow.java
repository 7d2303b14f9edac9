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

    Flow(long id, FlowRef ref, int protocol, long startNanos) {
        this.id = id;
        this.ref = ref;
        this.protocol = protocol;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    public long id() { return id; }

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
