/**
 * DNS dissector (RFC 1035 and updates): bounded, non-throwing parse of DNS messages carried over UDP
 * or over TCP with the RFC 7766 two-byte length prefix.
 *
 * <p>Entry points: {@link io.mcpwarden.dissect.dns.DnsDissector#parse(byte[], int, int)},
 * {@link io.mcpwarden.dissect.dns.DnsDissector#looksLikeDns(byte[], int, int)} and
 * {@link io.mcpwarden.dissect.dns.DnsTcpFramer}. Anomaly names are listed in
 * {@link io.mcpwarden.dissect.dns.DnsAnomaly}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.mcpwarden.dissect.dns;
