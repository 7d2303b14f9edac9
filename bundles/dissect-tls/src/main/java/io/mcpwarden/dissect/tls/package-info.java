/**
 * TLS handshake dissector: follows the record layer of one direction of a TCP stream (RFC 8446 §5,
 * RFC 5246 §6.2), reassembles handshake messages across records and segments, and extracts the
 * ClientHello (with its JA4 fingerprint) and the ServerHello. Entry point:
 * {@link io.mcpwarden.dissect.tls.TlsDirectionDissector}; anomaly names in {@link io.mcpwarden.dissect.tls.TlsAnomaly}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.mcpwarden.dissect.tls;
