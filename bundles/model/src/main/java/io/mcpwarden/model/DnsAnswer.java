package io.mcpwarden.model;

/** One resource record of a DNS answer section; {@code rdata} is presentation text (address, name, text). */
public record DnsAnswer(String rrname, String rrtype, long ttl, String rdata) {
}
