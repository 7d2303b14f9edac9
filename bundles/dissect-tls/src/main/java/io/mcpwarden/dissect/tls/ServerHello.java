package io.mcpwarden.dissect.tls;

/**
 * A parsed ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3).
 *
 * @param legacyVersion   legacy_version
 * @param selectedVersion the supported_versions extension's value when present (TLS 1.3), else legacy_version
 * @param cipherSuite     the chosen cipher suite
 * @param alpn            the protocol chosen via ALPN when it travels in the clear (TLS 1.2 and below), else null
 */
public record ServerHello(int legacyVersion, int selectedVersion, int cipherSuite, String alpn) {
}
