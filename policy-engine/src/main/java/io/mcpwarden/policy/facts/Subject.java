package io.mcpwarden.policy.facts;

/**
 * What an event is about, computed in Java before the rules run and inserted beside the event record.
 * Rules match on its fields with {@code ==} (hashed by the engine), never with {@code matches} or {@code in}.
 *
 * @param eventType         {@code mcp}, {@code dns}, {@code tls} or {@code http}
 * @param host              host name (MCP endpoint host, DNS query name, TLS SNI or HTTP Host), lower case;
 *                          for TLS without SNI the destination address
 * @param port              destination port, 0 when unknown (DNS)
 * @param path              request path without query ({@code ""} when unknown)
 * @param endpoint          {@code host:port/path} for MCP and HTTP, {@code host:port} for TLS, {@code host} for DNS;
 *                          also the verdict's subject
 * @param registered        the registry approves this host (and port and path, when known)
 * @param registryName      name of the matching registry entry, {@code ""} when not registered
 * @param registryTerms     for a registered MCP session: the registry entry's restrictions hold (protocol version,
 *                          client name, address range); true when the entry has none or the subject is not registered
 * @param lookalikeOf       name of a registered server whose host this one imitates, {@code ""} when none
 * @param firstSight        the first time this policy instance sees this endpoint for this event type
 * @param encrypted         the traffic travels in TLS (TLS events, encrypted MCP sessions)
 * @param nameHasMcpToken   a label of the host, split on {@code .} and {@code -}, is or starts or ends with "mcp"
 * @param protocolVersion   MCP revision in use (answered, else asked for), {@code ""} when unknown
 * @param deprecatedVersion the revision is older than the newest two ({@link ProtocolRevisions})
 * @param clientName        MCP {@code clientInfo.name}, {@code ""} when unknown
 * @param clientIp          address of the client (the flow's initiator)
 */
public record Subject(String eventType, String host, int port, String path, String endpoint, boolean registered,
                      String registryName, boolean registryTerms, String lookalikeOf, boolean firstSight,
                      boolean encrypted, boolean nameHasMcpToken, String protocolVersion, boolean deprecatedVersion,
                      String clientName, String clientIp) {
}
