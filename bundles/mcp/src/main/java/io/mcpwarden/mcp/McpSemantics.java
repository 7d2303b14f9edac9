package io.mcpwarden.mcp;

import java.util.Set;

/**
 * What makes a JSON-RPC message MCP, by the protocol's own rules (all revisions from 2024-11-05 to
 * 2026-07-28): date-shaped protocol versions, the {@code initialize} handshake with clientInfo and
 * capabilities (and not LSP's processId/rootUri), the {@code server/discover} exchange with
 * {@code _meta} client info, and MCP's method families.
 */
public final class McpSemantics {
    /** Method names defined by MCP outside the prefixed families. */
    private static final Set<String> METHODS = Set.of("initialize", "ping", "completion/complete",
            "logging/setLevel", "sampling/createMessage", "elicitation/create", "roots/list", "server/discover",
            "subscriptions/listen");
    private static final String[] FAMILIES = {"tools/", "resources/", "prompts/", "tasks/", "notifications/"};

    private McpSemantics() {
    }

    /** True for a protocol revision shaped like {@code YYYY-MM-DD}. */
    public static boolean isDateVersion(String v) {
        if (v == null || v.length() != 10) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            char c = v.charAt(i);
            boolean dash = i == 4 || i == 7;
            if (dash ? c != '-' : (c < '0' || c > '9')) {
                return false;
            }
        }
        int month = (v.charAt(5) - '0') * 10 + (v.charAt(6) - '0');
        int day = (v.charAt(8) - '0') * 10 + (v.charAt(9) - '0');
        return month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }

    /** An MCP {@code initialize} request: date-shaped protocolVersion, clientInfo or capabilities, no LSP fields. */
    public static boolean isInitializeRequest(RpcMessage m) {
        return m.kind() == RpcMessage.Kind.REQUEST && "initialize".equals(m.method())
                && isDateVersion(m.protocolVersion()) && m.lspMarkers().isEmpty()
                && (m.peerName() != null || m.hasCapabilities());
    }

    /** A successful {@code initialize} result: date-shaped protocolVersion with serverInfo or capabilities. */
    public static boolean isInitializeResult(RpcMessage m) {
        return m.kind() == RpcMessage.Kind.RESULT && isDateVersion(m.protocolVersion())
                && (m.peerName() != null || m.hasCapabilities());
    }

    /** An error answering a handshake with the versions the server supports (version negotiation failed). */
    public static boolean isVersionError(RpcMessage m) {
        return m.kind() == RpcMessage.Kind.ERROR && !m.supportedVersions().isEmpty()
                && m.supportedVersions().stream().allMatch(McpSemantics::isDateVersion);
    }

    /**
     * A revision-2026-07-28 {@code server/discover} request. {@code headerVersion} is the
     * {@code MCP-Protocol-Version} header (may be null), accepted when {@code _meta} carries no version.
     */
    public static boolean isDiscoverRequest(RpcMessage m, String headerVersion) {
        return m.kind() == RpcMessage.Kind.REQUEST && "server/discover".equals(m.method())
                && (isDateVersion(m.metaProtocolVersion()) || isDateVersion(headerVersion));
    }

    /** A {@code server/discover} result: supportedVersions all date-shaped. */
    public static boolean isDiscoverResult(RpcMessage m) {
        return m.kind() == RpcMessage.Kind.RESULT && !m.supportedVersions().isEmpty()
                && m.supportedVersions().stream().allMatch(McpSemantics::isDateVersion);
    }

    /** Whether a method name belongs to MCP (used to count session activity, not to detect sessions). */
    public static boolean isMcpMethod(String method) {
        if (method == null) {
            return false;
        }
        if (METHODS.contains(method)) {
            return true;
        }
        for (String f : FAMILIES) {
            if (method.startsWith(f) && method.length() > f.length()) {
                return true;
            }
        }
        return false;
    }

    /** The {@code Mcp-Name} value the body implies for a request ({@code params.name} or {@code params.uri}). */
    public static String expectedMcpName(RpcMessage m) {
        if (m.method() == null) {
            return null;
        }
        return switch (m.method()) {
            case "tools/call", "prompts/get", "resources/read" -> m.paramName();
            default -> null;
        };
    }
}
