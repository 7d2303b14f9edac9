package io.mcpwarden.pipeline.internal;

import io.mcpwarden.dissect.http.HttpRequestHead;
import io.mcpwarden.dissect.http.HttpResponseHead;
import io.mcpwarden.model.FlowRef;

/** One HTTP request and (when seen) its response on a flow. Mutable while the exchange is in progress. */
final class HttpExchange {
    final FlowRef flow;
    final long requestMicros;
    final HttpRequestHead request;
    HttpResponseHead response;
    long responseMicros;
    /** The MCP handshake this exchange carries (its reply arrives on this exchange's response). */
    McpTracker.Handshake handshake;
    /** For a GET event stream that announced an endpoint: the legacy-transport stream. */
    McpTracker.SseStream stream;
    boolean eventStream;
    /** Read from TLS decrypted with a key log. */
    final boolean decrypted;

    HttpExchange(FlowRef flow, long requestMicros, HttpRequestHead request) {
        this(flow, requestMicros, request, false);
    }

    HttpExchange(FlowRef flow, long requestMicros, HttpRequestHead request, boolean decrypted) {
        this.flow = flow;
        this.requestMicros = requestMicros;
        this.request = request;
        this.decrypted = decrypted;
    }

    /** Host header without port, else the destination address. */
    String host() {
        String h = request.header("host");
        if (h == null || h.isBlank()) {
            return flow.destIp();
        }
        h = h.trim();
        if (h.startsWith("[")) {
            int e = h.indexOf(']');
            return e > 0 ? h.substring(1, e) : h;
        }
        int c = h.lastIndexOf(':');
        return c > 0 && h.indexOf(':') == c ? h.substring(0, c) : h;
    }

    /** Port from the Host header, else the destination port. */
    int port() {
        String h = request.header("host");
        if (h != null) {
            h = h.trim();
            int c = h.lastIndexOf(':');
            int close = h.lastIndexOf(']');
            if (c > 0 && c > close && (h.startsWith("[") || h.indexOf(':') == c)) {
                try {
                    int p = Integer.parseInt(h.substring(c + 1));
                    if (p > 0 && p < 65536) {
                        return p;
                    }
                } catch (NumberFormatException ignored) {
                    // fall back to the destination port
                }
            }
        }
        return flow.destPort();
    }

    /** Request target path without query or fragment (absolute-form reduced to its path). */
    String path() {
        return pathOf(request.target());
    }

    static String pathOf(String target) {
        String t = target;
        int scheme = t.indexOf("://");
        if (scheme > 0 && scheme < 10) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int q = t.indexOf('?');
        if (q >= 0) {
            t = t.substring(0, q);
        }
        int f = t.indexOf('#');
        if (f >= 0) {
            t = t.substring(0, f);
        }
        return t.isEmpty() ? "/" : t;
    }

    /** Path and query (absolute-form reduced), fragment removed. */
    static String pathAndQuery(String target) {
        String t = target.trim();
        int scheme = t.indexOf("://");
        if (scheme > 0 && scheme < 10) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int f = t.indexOf('#');
        return f >= 0 ? t.substring(0, f) : t;
    }

    String endpoint() {
        return hostPort() + path();
    }

    String hostPort() {
        String h = host();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port();
    }
}
