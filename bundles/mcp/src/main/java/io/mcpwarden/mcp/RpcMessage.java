package io.mcpwarden.mcp;

import java.util.List;

/**
 * One JSON-RPC 2.0 message, reduced to the fields MCP recognition uses. Absent values are null (lists empty).
 *
 * @param kind                    request, notification, result or error
 * @param jsonrpc2                true when {@code "jsonrpc":"2.0"} was present
 * @param method                  the method of a request or notification
 * @param id                      the id as text (numbers and strings alike), null for notifications
 * @param protocolVersion         {@code params.protocolVersion} (requests) or {@code result.protocolVersion}
 * @param peerName                {@code clientInfo.name} (requests) or {@code serverInfo.name} (results)
 * @param peerVersion             {@code clientInfo.version} or {@code serverInfo.version}
 * @param capabilities            keys of {@code params.capabilities} or {@code result.capabilities}
 * @param hasCapabilities         whether a {@code capabilities} object was present
 * @param lspMarkers              LSP-only initialize fields seen (processId, rootUri, rootPath, workspaceFolders)
 * @param metaProtocolVersion     {@code _meta["io.modelcontextprotocol/protocolVersion"]} (revision 2026-07-28)
 * @param metaPeerName            name from {@code _meta} clientInfo / serverInfo
 * @param metaPeerVersion         version from {@code _meta} clientInfo / serverInfo
 * @param metaCapabilities        keys of {@code _meta} clientCapabilities
 * @param paramName               {@code params.name} (tools/call, prompts/get) or {@code params.uri} (resources/read)
 * @param supportedVersions       {@code result.supportedVersions} (server/discover) or {@code error.data.supported}
 * @param resultType              {@code result.resultType}
 * @param errorCode               {@code error.code}
 * @param errorMessage            {@code error.message}
 */
public record RpcMessage(Kind kind, boolean jsonrpc2, String method, String id, String protocolVersion,
                         String peerName, String peerVersion, List<String> capabilities, boolean hasCapabilities,
                         List<String> lspMarkers, String metaProtocolVersion, String metaPeerName,
                         String metaPeerVersion, List<String> metaCapabilities, String paramName,
                         List<String> supportedVersions, String resultType, Integer errorCode, String errorMessage) {

    public enum Kind { REQUEST, NOTIFICATION, RESULT, ERROR, INVALID }

    public RpcMessage {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        lspMarkers = lspMarkers == null ? List.of() : List.copyOf(lspMarkers);
        metaCapabilities = metaCapabilities == null ? List.of() : List.copyOf(metaCapabilities);
        supportedVersions = supportedVersions == null ? List.of() : List.copyOf(supportedVersions);
    }

    public boolean isRequest() {
        return kind == Kind.REQUEST;
    }

    public boolean isResponse() {
        return kind == Kind.RESULT || kind == Kind.ERROR;
    }
}
