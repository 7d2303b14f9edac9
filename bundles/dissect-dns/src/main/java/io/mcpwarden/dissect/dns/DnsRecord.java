package io.mcpwarden.dissect.dns;

/**
 * One resource record (RFC 1035 §4.1.3).
 *
 * @param name     owner name in presentation form, without trailing dot ("." for the root)
 * @param type     TYPE
 * @param typeName mnemonic or {@code TYPEnnn}
 * @param ttl      TTL as an unsigned 32-bit value
 * @param rdata    presentation text of the RDATA; see the module README for the per-type format
 */
public record DnsRecord(String name, int type, String typeName, long ttl, String rdata) {
}
