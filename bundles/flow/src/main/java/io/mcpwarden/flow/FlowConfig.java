package io.mcpwarden.flow;

/**
 * Limits and timeouts of a {@link FlowTable}. Times are in capture-time nanoseconds.
 *
 * @param maxFlows              flows kept at once; at the limit the least recently used one is evicted
 * @param maxBufferPerDirection out-of-order bytes buffered per direction of a TCP flow before a gap is declared
 * @param maxBufferTotal        out-of-order bytes buffered over all flows of the table
 * @param tcpIdleNanos          an open TCP flow without packets for this long ends with reason {@code timeout}
 * @param udpIdleNanos          a UDP flow without packets for this long ends with reason {@code timeout}
 * @param tcpClosedLingerNanos  a TCP flow closed by FIN/RST stays in the table this long (absorbing final ACKs
 *                              and retransmissions) before its end is reported
 */
public record FlowConfig(int maxFlows, int maxBufferPerDirection, long maxBufferTotal, long tcpIdleNanos,
                         long udpIdleNanos, long tcpClosedLingerNanos) {

    private static final long SECOND = 1_000_000_000L;

    /** 65,536 flows, 1 MiB per direction, 64 MiB in total, TCP idle 300 s, UDP idle 60 s, linger 5 s. */
    public static final FlowConfig DEFAULTS =
            new FlowConfig(65_536, 1 << 20, 64L << 20, 300 * SECOND, 60 * SECOND, 5 * SECOND);

    /** Validates the configuration: the table relies on positive limits. */
    public FlowConfig {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be >= 1: " + maxFlows);
        }
        if (maxBufferPerDirection < 0 || maxBufferTotal < 0) {
            throw new IllegalArgumentException("buffer limits must be >= 0");
        }
        if (tcpIdleNanos <= 0 || udpIdleNanos <= 0 || tcpClosedLingerNanos < 0) {
            throw new IllegalArgumentException("idle timeouts must be > 0 and linger >= 0");
        }
    }

    /** A copy with another flow limit. */
    public FlowConfig withMaxFlows(int max) {
        return new FlowConfig(max, maxBufferPerDirection, maxBufferTotal, tcpIdleNanos, udpIdleNanos,
                tcpClosedLingerNanos);
    }

    /** A copy with other buffer limits. */
    public FlowConfig withBuffers(int perDirection, long total) {
        return new FlowConfig(maxFlows, perDirection, total, tcpIdleNanos, udpIdleNanos, tcpClosedLingerNanos);
    }
}
