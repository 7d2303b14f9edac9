package io.mcpwarden.policy;

import java.util.List;

/**
 * One approved MCP server of the registry.
 *
 * @param name             unique name
 * @param endpoint         host pattern ({@code *} wildcard as the first label), optional {@code :port} and
 *                         {@code /path} prefix
 * @param owner            who answers for it (free text), may be null
 * @param sni              further host patterns under which it is reached through TLS
 * @param ipRanges         CIDR ranges its addresses lie in (empty: any)
 * @param protocolVersions protocol revisions it is approved for (empty: any)
 * @param clients          client names ({@code clientInfo.name}) approved to use it (empty: any)
 * @param tools            tool names approved on it (documentation for now; not on the wire in metadata)
 * @param notes            free text, may be null
 */
public record RegisteredServer(String name, String endpoint, String owner, List<String> sni, List<String> ipRanges,
                               List<String> protocolVersions, List<String> clients, List<String> tools,
                               String notes) {
    public RegisteredServer {
        sni = sni == null ? List.of() : List.copyOf(sni);
        ipRanges = ipRanges == null ? List.of() : List.copyOf(ipRanges);
        protocolVersions = protocolVersions == null ? List.of() : List.copyOf(protocolVersions);
        clients = clients == null ? List.of() : List.copyOf(clients);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
