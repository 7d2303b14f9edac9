package io.mcpwarden.pipeline;

import io.mcpwarden.tls.decrypt.KeyLog;

/**
 * Limits of one inspection run.
 *
 * @param httpBodyCap       bytes of each HTTP body kept for JSON-RPC parsing
 * @param maxFlows          flows held at once (per pipeline thread) before the oldest idle ones are evicted
 * @param streamBufferCap   out-of-order bytes buffered per TCP direction before a gap is declared
 * @param tcpIdleSeconds    idle timeout for TCP flows
 * @param udpIdleSeconds    idle timeout for UDP flows
 * @param threads           pipeline threads: 1 dissects on the caller's thread and passes events to the sink on
 *                          one events thread; more shards flows by the pair of addresses over that many threads
 *                          behind one reading thread (the sink still on one events thread)
 * @param keyLog            TLS secrets for decryption (an NSS key log); null to decrypt nothing unless the
 *                          capture itself carries secrets (pcapng Decryption Secrets Blocks)
 */
public record InspectOptions(int httpBodyCap, int maxFlows, int streamBufferCap, int tcpIdleSeconds,
                             int udpIdleSeconds, int threads, KeyLog keyLog) {
    public static final InspectOptions DEFAULTS = new InspectOptions(1 << 20, 262_144, 1 << 20, 600, 60, 1);

    public InspectOptions {
        if (httpBodyCap < 0 || maxFlows < 1 || streamBufferCap < 0 || tcpIdleSeconds < 1 || udpIdleSeconds < 1
                || threads < 1 || threads > 64) {
            throw new IllegalArgumentException("invalid inspection limits: body cap " + httpBodyCap + ", flows "
                    + maxFlows + ", stream buffer " + streamBufferCap + ", idle " + tcpIdleSeconds + "/"
                    + udpIdleSeconds + " s, threads " + threads + " (1..64)");
        }
    }

    /** Limits without a key log. */
    public InspectOptions(int httpBodyCap, int maxFlows, int streamBufferCap, int tcpIdleSeconds,
                          int udpIdleSeconds, int threads) {
        this(httpBodyCap, maxFlows, streamBufferCap, tcpIdleSeconds, udpIdleSeconds, threads, null);
    }

    /** The same limits with another number of pipeline threads. */
    public InspectOptions withThreads(int n) {
        return new InspectOptions(httpBodyCap, maxFlows, streamBufferCap, tcpIdleSeconds, udpIdleSeconds, n, keyLog);
    }

    /** The same limits with TLS secrets for decryption (null for none). */
    public InspectOptions withKeyLog(KeyLog keys) {
        return new InspectOptions(httpBodyCap, maxFlows, streamBufferCap, tcpIdleSeconds, udpIdleSeconds, threads,
                keys);
    }
}
