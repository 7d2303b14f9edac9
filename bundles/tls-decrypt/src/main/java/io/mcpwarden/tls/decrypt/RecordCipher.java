package io.mcpwarden.tls.decrypt;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens the protected records of one direction with one key: AEAD nonce and additional data as TLS 1.3
 * (RFC 8446 §5.2, §5.3) or TLS 1.2 (RFC 5246 §6.2.3.3, RFC 5288 §3, RFC 7905 §2) define them. Keeps the
 * record sequence number. Not thread-safe.
 */
final class RecordCipher {
    static final int TAG = 16;

    private final CipherSuite suite;
    private final boolean tls13;
    private final SecretKeySpec key;
    private final byte[] iv;
    private final Cipher cipher;
    private long seq;

    private RecordCipher(CipherSuite suite, boolean tls13, byte[] key, byte[] iv) throws GeneralSecurityException {
        this.suite = suite;
        this.tls13 = tls13;
        boolean gcm = suite.aead == CipherSuite.Aead.AES_GCM;
        this.key = new SecretKeySpec(key, gcm ? "AES" : "ChaCha20");
        this.iv = iv;
        this.cipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
    }

    /** TLS 1.3: key and iv from a traffic secret (RFC 8446 §7.3). */
    static RecordCipher tls13(CipherSuite suite, byte[] trafficSecret) throws GeneralSecurityException {
        byte[] key = Hkdf.expandLabel(suite.hmac, trafficSecret, "key", new byte[0], suite.keyLength);
        byte[] iv = Hkdf.expandLabel(suite.hmac, trafficSecret, "iv", new byte[0], 12);
        return new RecordCipher(suite, true, key, iv);
    }

    /** TLS 1.2: one direction's write key and IV from the key block. */
    static RecordCipher tls12(CipherSuite suite, byte[] key, byte[] iv) throws GeneralSecurityException {
        return new RecordCipher(suite, false, key, iv);
    }

    /**
     * Decrypts one record body into {@code out} (at index 0; it must hold {@code len} bytes).
     *
     * @param type    outer content type
     * @param version outer legacy_record_version
     * @return the plaintext length in {@code out} (TLS 1.3: still with content type and padding), or -1
     *         when the record does not authenticate or is too short
     */
    int open(int type, int version, byte[] body, int off, int len, byte[] out) {
        try {
            byte[] nonce = new byte[12];
            int ctOff = off;
            int ctLen = len;
            byte[] aad;
            if (tls13) {
                if (len < TAG + 1) {
                    return -1;
                }
                nonceXorSeq(iv, nonce);
                // RFC 8446 §5.2: additional_data = opaque_type || legacy_record_version || length
                aad = new byte[] {(byte) type, (byte) (version >> 8), (byte) version, (byte) (len >> 8), (byte) len};
            } else {
                int explicit = suite.tls12ExplicitNonce();
                if (len < explicit + TAG) {
                    return -1;
                }
                if (explicit > 0) {
                    System.arraycopy(iv, 0, nonce, 0, 4);
                    System.arraycopy(body, off, nonce, 4, 8);
                } else {
                    nonceXorSeq(iv, nonce);
                }
                ctOff = off + explicit;
                ctLen = len - explicit;
                int plain = ctLen - TAG;
                // RFC 5246 §6.2.3.3: seq_num || type || version || length (of the plaintext)
                aad = new byte[13];
                for (int i = 0; i < 8; i++) {
                    aad[i] = (byte) (seq >>> (56 - 8 * i));
                }
                aad[8] = (byte) type;
                aad[9] = (byte) (version >> 8);
                aad[10] = (byte) version;
                aad[11] = (byte) (plain >> 8);
                aad[12] = (byte) plain;
            }
            if (suite.aead == CipherSuite.Aead.AES_GCM) {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            } else {
                cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
            }
            cipher.updateAAD(aad);
            int n = cipher.doFinal(body, ctOff, ctLen, out, 0);
            seq++;
            return n;
        } catch (AEADBadTagException bad) {
            return -1;
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }

    private void nonceXorSeq(byte[] base, byte[] nonce) {
        System.arraycopy(base, 0, nonce, 0, 12);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] ^= (byte) (seq >>> (56 - 8 * i));
        }
    }

    long sequence() {
        return seq;
    }

    /** For tests: continue at another sequence number. */
    RecordCipher at(long sequence) {
        seq = sequence;
        return this;
    }
}
