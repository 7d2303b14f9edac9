package io.mcpwarden.flow;

/**
 * Receives what the flow table makes of the packets. Called on the thread that feeds the table, in capture
 * order. Implementations must not throw; the buffers passed are only valid during the call.
 */
public interface FlowListener {

    /** A new flow was created (first packet seen). */
    void onFlowStart(Flow flow);

    /**
     * In-order application bytes: for TCP the next contiguous bytes of one direction's stream (after
     * reassembly, retransmissions and overlaps removed); for UDP one datagram's payload.
     */
    void onData(Flow flow, Direction dir, byte[] buf, int off, int len, long tsNanos);

    /**
     * Bytes are missing from one direction's TCP stream (never captured, or given up on). The next
     * {@link #onData} for that direction continues after the hole.
     */
    void onGap(Flow flow, Direction dir, long bytesMissing, long tsNanos);

    /**
     * The flow ended. {@code reason} is one of {@code fin}, {@code rst}, {@code timeout}, {@code evicted},
     * {@code shutdown}. No further calls for this flow follow.
     */
    void onFlowEnd(Flow flow, String reason, long tsNanos);
}
