package io.mcpwarden.tls.decrypt;

/** Stable names of what can stop decryption of a direction or connection (counters and summary). */
public final class DecryptAnomaly {
    /** The key log holds no (usable) secrets for the connection's client random. */
    public static final String NO_KEYS = "tls.decrypt.no_keys";
    /** The negotiated cipher suite is not an AEAD suite this bundle decrypts (e.g. CBC). */
    public static final String UNSUPPORTED_CIPHER_SUITE = "tls.decrypt.unsupported_cipher_suite";
    /** A version other than TLS 1.2 or 1.3 was negotiated. */
    public static final String UNSUPPORTED_VERSION = "tls.decrypt.unsupported_version";
    /** A record failed authentication (wrong secrets, damage): the direction is undecryptable from there. */
    public static final String AUTH_FAILED = "tls.decrypt.auth_failed";
    /** A record header was not a TLS record header, or its length exceeds the limit. */
    public static final String BAD_RECORD = "tls.decrypt.bad_record";
    /** A TLS 1.3 record whose inner plaintext is all padding. */
    public static final String BAD_INNER_RECORD = "tls.decrypt.bad_inner_record";
    /** Bytes of the TCP stream were lost: record boundaries and sequence numbers cannot be recovered. */
    public static final String GAP = "tls.decrypt.gap";
    /** Too many records waited for keys (e.g. no ServerHello seen). */
    public static final String PENDING_OVERFLOW = "tls.decrypt.pending_overflow";
    /** The connection ended inside a record. */
    public static final String TRUNCATED_RECORD = "tls.decrypt.truncated_record";

    private DecryptAnomaly() {
    }
}
