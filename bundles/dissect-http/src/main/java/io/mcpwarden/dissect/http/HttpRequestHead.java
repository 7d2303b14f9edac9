package io.mcpwarden.dissect.http;

import java.util.List;
import java.util.Objects;

/**
 * A parsed request line and header section (RFC 9112 §3, §5).
 *
 * @param method  request method, case as on the wire
 * @param target  request target (origin-, absolute-, authority- or asterisk-form)
 * @param version protocol version, e.g. {@code HTTP/1.1}
 * @param headers header fields in wire order (immutable)
 */
public record HttpRequestHead(String method, String target, String version, List<HttpHeader> headers) {
    public HttpRequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        headers = List.copyOf(headers);
    }

    /** Value of the first header whose name matches case-insensitively, or null when absent. */
    public String header(String name) {
        return Headers.first(headers, name);
    }
}
