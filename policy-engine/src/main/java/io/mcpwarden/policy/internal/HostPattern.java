package io.mcpwarden.policy.internal;

import java.util.Locale;

/**
 * One endpoint pattern of the registry: {@code host[:port][/path]} where host may start with {@code *.} (any
 * subdomain, one or more labels, not the bare domain). Port 0 = any port; path "" = any path, else a prefix
 * compared segment-wise ({@code /mcp} matches {@code /mcp} and {@code /mcp/x}, not {@code /mcpx}).
 */
record HostPattern(String host, boolean wildcard, int port, String path, boolean hostOnly) {

    /** A TLS name pattern of an entry ({@code sni:}): matches host-only questions (TLS, DNS), not MCP or HTTP. */
    HostPattern asHostOnly() {
        return new HostPattern(host, wildcard, 0, "", true);
    }

    private static final int MAX_HOST = 253;

    static HostPattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("endpoint is empty");
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        String path = "";
        int slash = s.indexOf('/');
        if (slash >= 0) {
            path = normalisePath(s.substring(slash));
            s = s.substring(0, slash);
        }
        int port = 0;
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') == colon) {
            String p = s.substring(colon + 1);
            s = s.substring(0, colon);
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port '" + p + "' in endpoint '" + text + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range in endpoint '" + text + "'");
            }
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        boolean wildcard = false;
        if (s.startsWith("*.")) {
            wildcard = true;
            s = s.substring(2);
        }
        if (s.isEmpty() || s.length() > MAX_HOST) {
            throw new IllegalArgumentException("bad host in endpoint '" + text + "'");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == ':';
            if (!ok) {
                throw new IllegalArgumentException("bad character '" + c + "' in host of endpoint '" + text
                        + "' (only a leading '*.' wildcard is allowed)");
            }
        }
        if (wildcard && !s.contains(".")) {
            throw new IllegalArgumentException("wildcard '*." + s + "' is too broad in endpoint '" + text + "'");
        }
        return new HostPattern(s, wildcard, port, path, false);
    }

    static String normaliseHost(String host) {
        if (host == null) {
            return "";
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    static String normalisePath(String p) {
        if (p == null || p.isEmpty()) {
            return "";
        }
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals("/") ? "" : p;
    }

    /** Host is already normalised and known to match the host part; checks port and path. */
    boolean matchesPortPath(int qPort, String qPath) {
        if (hostOnly && qPath != null) {
            return false;
        }
        if (port != 0 && qPort != 0 && port != qPort) {
            return false;
        }
        if (path.isEmpty() || qPath == null) {
            return true;
        }
        String p = normalisePath(qPath);
        return p.equals(path) || (p.startsWith(path) && p.charAt(path.length()) == '/');
    }
}
