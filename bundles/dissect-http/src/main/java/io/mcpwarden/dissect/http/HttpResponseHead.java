package io.mcpwarden.dissect.http;

import java.util.List;
import java.util.Objects;

/**
 * A parsed status line and header section (RFC 9112 §4, §5).
 *
 * @param status  three-digit status code
 * @param reason  reason phrase, possibly empty
 * @param version protocol version, e.g. {@code HTTP/1.1}
 * @param headers header fields in wire order (immutable)
 */
public record HttpResponseHead(int status, String reason, String version, List<HttpHeader> headers) {
    public HttpResponseHead {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(version, "version");
        headers = List.copyOf(headers);
    }

    /** Value of the first header whose name matches case-insensitively, or null when absent. */
    public String header(String name) {
        return Headers.first(headers, name);
    }
}
