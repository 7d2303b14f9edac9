package io.mcpwarden.dissect.dns;

/**
 * One entry of the question section (RFC 1035 §4.1.2).
 *
 * @param name     presentation name without trailing dot, case as on the wire ("." for the root)
 * @param type     QTYPE
 * @param typeName mnemonic (A, AAAA, HTTPS, ANY, ...) or {@code TYPEnnn} (RFC 3597 §5)
 */
public record DnsQuestion(String name, int type, String typeName) {
}
