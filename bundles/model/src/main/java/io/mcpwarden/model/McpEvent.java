package io.mcpwarden.model;

import java.util.List;

/**
 * One MCP session (one {@code initialize} or {@code server/discover} exchange), or for encrypted traffic
 * a suspected one with the evidence that made the call.
 *
 * @param transport             {@code streamable-http} or {@code sse} (null when encrypted)
 * @param endpoint              {@code host:port/path} of the MCP endpoint (for sse the GET stream's path)
 * @param messageEndpoint       for sse, the POST URL announced by the {@code endpoint} event
 * @param handshake             {@code initialize}, {@code server/discover} or null (encrypted)
 * @param clientProtocolVersion the version the client asked for
 * @param protocolVersion       the version the server answered (null without a successful answer)
 * @param clientName            clientInfo.name
 * @param clientVersion         clientInfo.version
 * @param serverName            serverInfo.name
 * @param serverVersion         serverInfo.version
 * @param sessionId             {@code Mcp-Session-Id} header or the sse {@code sessionId}
 * @param methods               JSON-RPC methods the client sent in the session so far, in wire order
 * @param encrypted             true when the session travels inside TLS: judged from metadata (suspected, no
 *                              {@code handshake}) or read from traffic decrypted with a key log ({@link #decrypted()})
 * @param evidence              the signals that made the call, stable names (e.g. {@code initialize_request})
 * @param sni                   TLS server name for encrypted sessions
 * @param clientCapabilities    capability names the client declared
 * @param serverCapabilities    capability names the server declared
 */
public record McpEvent(long tsMicros, FlowRef flow, String transport, String endpoint, String messageEndpoint,
                       String handshake, String clientProtocolVersion, String protocolVersion, String clientName,
                       String clientVersion, String serverName, String serverVersion, String sessionId,
                       List<String> methods, boolean encrypted, List<String> evidence, String sni,
                       List<String> clientCapabilities, List<String> serverCapabilities) implements WardenEvent {
    public McpEvent {
        methods = methods == null ? List.of() : List.copyOf(methods);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        clientCapabilities = clientCapabilities == null ? List.of() : List.copyOf(clientCapabilities);
        serverCapabilities = serverCapabilities == null ? List.of() : List.copyOf(serverCapabilities);
    }

    /** @return true when the session travels inside TLS and was read from traffic decrypted with a key log */
    public boolean decrypted() {
        return encrypted && handshake != null;
    }

    @Override
    public String eventType() {
        return "mcp";
    }
}
