package io.mcpwarden.model;

import java.util.List;

/**
 * One TLS handshake as seen on the wire: the ClientHello's offer and, when seen, the ServerHello's choice.
 *
 * @param sni                     server name from the ClientHello (null when absent)
 * @param version                 negotiated version ("TLS 1.3") or, without a ServerHello, the highest offered
 * @param alpn                    ALPN protocols offered by the client, in order
 * @param clientSupportedVersions supported_versions offered ("0x0304", ...), GREASE removed
 * @param ja4                     JA4 fingerprint of the ClientHello (FoxIO specification)
 * @param alpnSelected            ALPN chosen by the server when visible (TLS 1.2 and below), else null
 * @param cipherSuite             cipher suite chosen by the server ("0x1301"), null without ServerHello
 * @param decrypted               true when the connection was decrypted with a key log (then {@code alpnSelected}
 *                                also holds the choice from TLS 1.3's encrypted EncryptedExtensions)
 */
public record TlsEvent(long tsMicros, FlowRef flow, String sni, String version, List<String> alpn,
                       List<String> clientSupportedVersions, String ja4, String alpnSelected, String cipherSuite,
                       boolean decrypted)
        implements WardenEvent {
    public TlsEvent {
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
        clientSupportedVersions = clientSupportedVersions == null ? List.of() : List.copyOf(clientSupportedVersions);
    }

    /** A handshake seen in the clear only (not decrypted). */
    public TlsEvent(long tsMicros, FlowRef flow, String sni, String version, List<String> alpn,
                    List<String> clientSupportedVersions, String ja4, String alpnSelected, String cipherSuite) {
        this(tsMicros, flow, sni, version, alpn, clientSupportedVersions, ja4, alpnSelected, cipherSuite, false);
    }

    @Override
    public String eventType() {
        return "tls";
    }
}
