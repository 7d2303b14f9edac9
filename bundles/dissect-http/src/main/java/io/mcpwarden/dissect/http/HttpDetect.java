package io.mcpwarden.dissect.http;

/**
 * Recognises the start of an HTTP/1.x message by content, from its first bytes only
 * (at most {@link #MAX_PROBE} are looked at).
 *
 * <p>A request start is a method made of upper-case letters, {@code -} or {@code _}
 * ({@link #MAX_METHOD_LEN} at most; RFC 9110 §9.1 methods are case-sensitive tokens and
 * registered ones are upper case), one SP, then a request target in origin-form ({@code /}),
 * asterisk-form ({@code *}), absolute-form ({@code http://} or {@code https://}) or, for
 * {@code CONNECT}, authority-form (RFC 9112 §3.2). The HTTP/2 connection preface
 * ({@code PRI * HTTP/2.0}) is not HTTP/1.x. A response start is {@code HTTP/1.} DIGIT SP
 * 3DIGIT (RFC 9112 §4). TLS records, SSH banners and binary data never match.
 */
public final class HttpDetect {
    /** Longest method accepted. */
    public static final int MAX_METHOD_LEN = 20;
    /** Most bytes ever inspected. */
    public static final int MAX_PROBE = 32;

    static final int NO = -1;
    static final int MORE = 0;
    static final int YES = 1;

    private HttpDetect() {
    }

    /** True when the bytes begin like an HTTP/1.x request line. False when unsure or out of bounds. */
    public static boolean looksLikeRequest(byte[] b, int off, int len) {
        return inBounds(b, off, len) && classifyRequest(b, off, len) == YES;
    }

    /** True when the bytes begin like an HTTP/1.x status line. False when unsure or out of bounds. */
    public static boolean looksLikeResponse(byte[] b, int off, int len) {
        return inBounds(b, off, len) && classifyResponse(b, off, len) == YES;
    }

    private static boolean inBounds(byte[] b, int off, int len) {
        return b != null && off >= 0 && len >= 0 && off <= b.length && len <= b.length - off;
    }

    /** {@link #YES}, {@link #NO}, or {@link #MORE} when more bytes are needed to decide. */
    static int classifyRequest(byte[] b, int off, int len) {
        int n = Math.min(len, MAX_PROBE);
        int i = 0;
        while (i < n && i <= MAX_METHOD_LEN) {
            int c = b[off + i] & 0xff;
            if (c == ' ') {
                break;
            }
            if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
                return NO;
            }
            i++;
        }
        if (i >= n) {
            return i > MAX_METHOD_LEN ? NO : MORE;
        }
        int mlen = i;
        if (mlen < 3 || mlen > MAX_METHOD_LEN) {
            return NO;
        }
        i++; // the SP
        if (i >= n) {
            return MORE;
        }
        int t = b[off + i] & 0xff;
        if (isConnect(b, off, mlen)) {
            return isAlnum(t) || t == '[' ? YES : NO;
        }
        if (t == '/') {
            return YES;
        }
        if (t == '*') {
            return isPri(b, off, mlen) ? NO : YES;
        }
        return matchesScheme(b, off + i, n - i);
    }

    private static int matchesScheme(byte[] b, int off, int avail) {
        int r1 = prefixIgnoreCase(b, off, avail, "http://");
        if (r1 == YES) {
            return YES;
        }
        int r2 = prefixIgnoreCase(b, off, avail, "https://");
        if (r2 == YES) {
            return YES;
        }
        return r1 == MORE || r2 == MORE ? MORE : NO;
    }

    private static int prefixIgnoreCase(byte[] b, int off, int avail, String p) {
        for (int k = 0; k < p.length(); k++) {
            if (k >= avail) {
                return MORE;
            }
            if (Character.toLowerCase((char) (b[off + k] & 0xff)) != p.charAt(k)) {
                return NO;
            }
        }
        return YES;
    }

    private static boolean isPri(byte[] b, int off, int mlen) {
        return mlen == 3 && b[off] == 'P' && b[off + 1] == 'R' && b[off + 2] == 'I';
    }

    private static boolean isConnect(byte[] b, int off, int mlen) {
        if (mlen != 7) {
            return false;
        }
        String m = "CONNECT";
        for (int k = 0; k < 7; k++) {
            if (b[off + k] != m.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** {@link #YES}, {@link #NO}, or {@link #MORE} when more bytes are needed to decide. */
    static int classifyResponse(byte[] b, int off, int len) {
        final String prefix = "HTTP/1.";
        int n = Math.min(len, MAX_PROBE);
        for (int k = 0; k < 12; k++) {
            if (k >= n) {
                return MORE;
            }
            int c = b[off + k] & 0xff;
            boolean ok;
            if (k < prefix.length()) {
                ok = c == prefix.charAt(k);
            } else if (k == 7) {
                ok = c >= '0' && c <= '9';
            } else if (k == 8) {
                ok = c == ' ';
            } else if (k == 9) {
                ok = c >= '1' && c <= '9';
            } else {
                ok = c >= '0' && c <= '9';
            }
            if (!ok) {
                return NO;
            }
        }
        return YES;
    }
}
