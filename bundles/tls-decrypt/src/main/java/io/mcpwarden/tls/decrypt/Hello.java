package io.mcpwarden.tls.decrypt;

import java.util.Arrays;

/**
 * The few hello fields decryption needs, read with a bounds check before every access; null on any damage.
 * ClientHello: RFC 8446 §4.1.2. ServerHello: RFC 8446 §4.1.3 (supported_versions §4.2.1, ALPN RFC 7301).
 */
final class Hello {
    /** RFC 8446 §4.1.3: the ServerHello.random of a HelloRetryRequest. */
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D,
        (byte) 0x8C, 0x02, 0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16,
        0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E, 0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8,
        0x33, (byte) 0x9C};

    /** What a ServerHello chose. {@code version} is supported_versions when present, else legacy_version. */
    record Server(byte[] random, int version, int cipherSuite, String alpn, boolean retryRequest) {
    }

    private Hello() {
    }

    /** @return the 32-byte client random of a ClientHello body, or null */
    static byte[] clientRandom(byte[] b, int off, int len) {
        return len >= 34 ? Arrays.copyOfRange(b, off + 2, off + 34) : null;
    }

    static Server server(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        if (len < 38) {
            return null;
        }
        int legacy = u16(b, p);
        byte[] random = Arrays.copyOfRange(b, p + 2, p + 34);
        p += 34;
        int sid = b[p] & 0xff;
        p += 1 + sid;
        if (p + 3 > end) {
            return null;
        }
        int suite = u16(b, p);
        p += 3; // cipher_suite, legacy_compression_method
        int version = legacy;
        String alpn = null;
        if (p + 2 <= end) {
            int extEnd = Math.min(end, p + 2 + u16(b, p));
            p += 2;
            while (p + 4 <= extEnd) {
                int type = u16(b, p);
                int l = u16(b, p + 2);
                p += 4;
                if (p + l > extEnd) {
                    return null;
                }
                if (type == 43 && l == 2) {
                    version = u16(b, p);
                } else if (type == 16) {
                    alpn = alpn(b, p, l);
                }
                p += l;
            }
        }
        return new Server(random, version, suite, alpn, Arrays.equals(random, HRR_RANDOM));
    }

    /** The single protocol name of a server's ALPN extension body (RFC 7301 §3.1), or null. */
    static String alpn(byte[] b, int p, int l) {
        if (l < 3) {
            return null;
        }
        int listLen = u16(b, p);
        int n = b[p + 2] & 0xff;
        if (listLen + 2 > l || n == 0 || 3 + n > l) {
            return null;
        }
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = b[p + 3 + i] & 0xff;
            if (c >= 0x21 && c <= 0x7e) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.toString();
    }

    /** The ALPN choice inside an EncryptedExtensions body (RFC 8446 §4.3.1), or null. */
    static String encryptedExtensionsAlpn(byte[] b, int off, int len) {
        if (len < 2) {
            return null;
        }
        int end = Math.min(off + len, off + 2 + u16(b, off));
        int p = off + 2;
        while (p + 4 <= end) {
            int type = u16(b, p);
            int l = u16(b, p + 2);
            p += 4;
            if (p + l > end) {
                return null;
            }
            if (type == 16) {
                return alpn(b, p, l);
            }
            p += l;
        }
        return null;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }
}
