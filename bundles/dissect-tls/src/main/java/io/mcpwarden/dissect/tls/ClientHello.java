package io.mcpwarden.dissect.tls;

import java.util.List;

/**
 * A parsed ClientHello (RFC 8446 §4.1.2). Lists hold values as on the wire, in wire order, GREASE values
 * (RFC 8701) included; {@link TlsDirectionDissector#isGrease(int)} tells them apart.
 *
 * @param legacyVersion       legacy_version (0x0303 for TLS 1.2 and 1.3 clients)
 * @param supportedVersions   supported_versions extension (RFC 8446 §4.2.1), empty when absent
 * @param cipherSuites        cipher_suites
 * @param extensionTypes      extension types in wire order
 * @param sni                 first host_name of server_name (RFC 6066 §3), null when absent; bytes outside
 *                            0x21..0x7E are written as {@code \xHH}
 * @param alpn                protocol names of application_layer_protocol_negotiation (RFC 7301 §3.1), same escaping
 * @param signatureAlgorithms signature_algorithms (RFC 8446 §4.2.3)
 * @param supportedGroups     supported_groups (RFC 8446 §4.2.7)
 * @param ja4                 JA4 fingerprint (FoxIO specification, TCP form "t")
 */
public record ClientHello(int legacyVersion, List<Integer> supportedVersions, List<Integer> cipherSuites,
                          List<Integer> extensionTypes, String sni, List<String> alpn,
                          List<Integer> signatureAlgorithms, List<Integer> supportedGroups, String ja4) {
    public ClientHello {
        supportedVersions = List.copyOf(supportedVersions);
        cipherSuites = List.copyOf(cipherSuites);
        extensionTypes = List.copyOf(extensionTypes);
        alpn = List.copyOf(alpn);
        signatureAlgorithms = List.copyOf(signatureAlgorithms);
        supportedGroups = List.copyOf(supportedGroups);
    }
}
