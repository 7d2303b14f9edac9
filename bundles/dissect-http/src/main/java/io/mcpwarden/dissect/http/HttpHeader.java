package io.mcpwarden.dissect.http;

import java.util.Objects;

/**
 * One header or trailer field line (RFC 9112 §5), name and case as on the wire, value with
 * surrounding whitespace removed. Bytes are mapped to characters as ISO-8859-1.
 *
 * @param name  field name, case preserved
 * @param value field value, leading and trailing whitespace removed
 */
public record HttpHeader(String name, String value) {
    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
