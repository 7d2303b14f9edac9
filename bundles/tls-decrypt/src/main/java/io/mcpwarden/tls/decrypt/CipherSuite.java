package io.mcpwarden.tls.decrypt;

/**
 * The AEAD cipher suites this bundle decrypts.
 * TLS 1.3: RFC 8446 §B.4. TLS 1.2: AES-GCM (RFC 5288, RFC 5289), ChaCha20-Poly1305 (RFC 7905).
 */
enum CipherSuite {
    TLS_AES_128_GCM_SHA256(0x1301, true, Aead.AES_GCM, 16, "HmacSHA256"),
    TLS_AES_256_GCM_SHA384(0x1302, true, Aead.AES_GCM, 32, "HmacSHA384"),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, true, Aead.CHACHA20_POLY1305, 32, "HmacSHA256"),

    RSA_AES_128_GCM_SHA256(0x009C, false, Aead.AES_GCM, 16, "HmacSHA256"),
    RSA_AES_256_GCM_SHA384(0x009D, false, Aead.AES_GCM, 32, "HmacSHA384"),
    DHE_RSA_AES_128_GCM_SHA256(0x009E, false, Aead.AES_GCM, 16, "HmacSHA256"),
    DHE_RSA_AES_256_GCM_SHA384(0x009F, false, Aead.AES_GCM, 32, "HmacSHA384"),
    ECDHE_ECDSA_AES_128_GCM_SHA256(0xC02B, false, Aead.AES_GCM, 16, "HmacSHA256"),
    ECDHE_ECDSA_AES_256_GCM_SHA384(0xC02C, false, Aead.AES_GCM, 32, "HmacSHA384"),
    ECDHE_RSA_AES_128_GCM_SHA256(0xC02F, false, Aead.AES_GCM, 16, "HmacSHA256"),
    ECDHE_RSA_AES_256_GCM_SHA384(0xC030, false, Aead.AES_GCM, 32, "HmacSHA384"),
    ECDHE_RSA_CHACHA20_POLY1305(0xCCA8, false, Aead.CHACHA20_POLY1305, 32, "HmacSHA256"),
    ECDHE_ECDSA_CHACHA20_POLY1305(0xCCA9, false, Aead.CHACHA20_POLY1305, 32, "HmacSHA256"),
    DHE_RSA_CHACHA20_POLY1305(0xCCAA, false, Aead.CHACHA20_POLY1305, 32, "HmacSHA256");

    enum Aead { AES_GCM, CHACHA20_POLY1305 }

    final int id;
    final boolean tls13;
    final Aead aead;
    final int keyLength;
    /** HMAC of the suite's hash: HKDF (TLS 1.3) or PRF (TLS 1.2). */
    final String hmac;

    CipherSuite(int id, boolean tls13, Aead aead, int keyLength, String hmac) {
        this.id = id;
        this.tls13 = tls13;
        this.aead = aead;
        this.keyLength = keyLength;
        this.hmac = hmac;
    }

    /** TLS 1.2 write IV length: 4-byte implicit salt for GCM (RFC 5288 §3), 12 bytes for ChaCha20 (RFC 7905 §2). */
    int tls12IvLength() {
        return aead == Aead.AES_GCM ? 4 : 12;
    }

    /** Explicit per-record nonce bytes in front of the TLS 1.2 ciphertext (8 for GCM, 0 for ChaCha20). */
    int tls12ExplicitNonce() {
        return aead == Aead.AES_GCM ? 8 : 0;
    }

    static CipherSuite of(int id) {
        for (CipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }
}
