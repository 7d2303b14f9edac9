/**
 * TLS record decryption with secrets from an NSS key log ({@code SSLKEYLOGFILE} format, also carried in pcapng
 * Decryption Secrets Blocks). {@link io.mcpwarden.tls.decrypt.KeyLog} holds the secrets by client random;
 * {@link io.mcpwarden.tls.decrypt.TlsDecryptor} follows both directions of one TLS connection and hands the
 * decrypted application data, in order, to a {@link io.mcpwarden.tls.decrypt.PlaintextListener}.
 * TLS 1.3 (RFC 8446) and TLS 1.2 (RFC 5246) with AEAD cipher suites (AES-GCM RFC 5288, ChaCha20-Poly1305
 * RFC 7905). JDK {@code javax.crypto} only. {@link io.mcpwarden.tls.decrypt.KeyLogFollower} follows a key log
 * that clients append to during a live capture; a decryptor then waits for secrets not written yet.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.mcpwarden.tls.decrypt;
