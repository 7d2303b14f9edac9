package io.mcpwarden.pipeline;

/**
 * Limits of one inspection run.
 *
 * @param httpBodyCap       bytes of each HTTP body kept for JSON-RPC parsing
 * @param maxFlows          flows held at once before the oldest idle ones are evicted
 * @param streamBufferCap   out-of-order bytes buffered per TCP direction before a gap is declared
 * @param tcpIdleSeconds    idle timeout for TCP flows
 * @param udpIdleSeconds    idle timeout for UDP flows
 */
public record InspectOptions(int httpBodyCap, int maxFlows, int streamBufferCap, int tcpIdleSeconds,
                             int udpIdleSeconds) {
    public static final InspectOptions DEFAULTS = new InspectOptions(1 << 20, 262_144, 1 << 20, 600, 60);
}
