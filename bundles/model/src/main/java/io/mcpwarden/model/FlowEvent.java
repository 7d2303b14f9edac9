package io.mcpwarden.model;

import java.util.List;

/**
 * The end of a flow.
 *
 * @param startMicros    capture time of the first packet
 * @param pktsToServer   packets from the initiator
 * @param pktsToClient   packets from the responder
 * @param bytesToServer  IP bytes from the initiator
 * @param bytesToClient  IP bytes from the responder
 * @param state          {@code new}, {@code established} or {@code closed}
 * @param reason         {@code fin}, {@code rst}, {@code timeout}, {@code evicted} or {@code shutdown}
 * @param appProto       the application protocol recognised (dns, tls, http, http2 for cleartext HTTP/2, mcp) or null
 * @param gaps           stream gaps (bytes missing from the capture) seen in either direction
 * @param mcpMethods     MCP methods counted on this flow, in order of first sight
 */
public record FlowEvent(long tsMicros, FlowRef flow, long startMicros, long pktsToServer, long pktsToClient,
                        long bytesToServer, long bytesToClient, String state, String reason, String appProto,
                        long gaps, List<String> mcpMethods) implements WardenEvent {
    public FlowEvent {
        mcpMethods = mcpMethods == null ? List.of() : List.copyOf(mcpMethods);
    }

    @Override
    public String eventType() {
        return "flow";
    }
}
