package io.mcpwarden.tls.decrypt;

/** Receives what a {@link TlsDecryptor} recovers, in stream order per direction. */
public interface PlaintextListener {

    /**
     * The server's ALPN choice is known: from EncryptedExtensions (TLS 1.3) or the ServerHello (TLS 1.2), when
     * the connection can be decrypted. Called at most once.
     *
     * @param alpnSelected the chosen protocol, or null when the server chose none
     */
    void onHandshake(String alpnSelected);

    /** Decrypted application data of one direction, in order. The array is reused after the call returns. */
    void onApplicationData(boolean fromClient, byte[] buf, int off, int len);

    /** A direction (or the connection) cannot be decrypted further; {@code anomaly} is a {@link DecryptAnomaly}. */
    void onFailure(boolean fromClient, String anomaly);
}
