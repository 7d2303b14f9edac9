package io.mcpwarden.dissect.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * JA4 TLS client fingerprint, TCP form, per FoxIO's specification (github.com/FoxIO-LLC/ja4,
 * technical_details/JA4.md): {@code t<ver><d|i><nn ciphers><nn extensions><alpn>_<b>_<c>}.
 * GREASE values (RFC 8701) are ignored everywhere.
 */
final class Ja4 {
    static final int MAX_COUNT = 99;
    static final int HASH_CHARS = 12;
    static final String EMPTY_HASH = "000000000000";
    private static final int EXT_SNI = 0x0000;
    private static final int EXT_ALPN = 0x0010;

    private Ja4() {
    }

    /**
     * @param legacyVersion     ClientHello legacy_version (used when supported_versions has no usable value)
     * @param supportedVersions supported_versions values (GREASE allowed)
     * @param ciphers           cipher suites in wire order (GREASE allowed)
     * @param extensions        extension types in wire order (GREASE allowed)
     * @param firstAlpn         raw bytes of the first ALPN protocol name, or null when there is none
     * @param sigAlgs           signature_algorithms in wire order (GREASE allowed)
     */
    static String compute(int legacyVersion, List<Integer> supportedVersions, List<Integer> ciphers,
                          List<Integer> extensions, byte[] firstAlpn, List<Integer> sigAlgs) {
        int version = -1;
        for (int v : supportedVersions) {
            if (!TlsDirectionDissector.isGrease(v) && v > version) {
                version = v;
            }
        }
        if (version < 0) {
            version = legacyVersion;
        }
        List<Integer> cs = withoutGrease(ciphers);
        List<Integer> ext = withoutGrease(extensions);
        boolean sni = ext.contains(EXT_SNI);
        StringBuilder sb = new StringBuilder(36);
        sb.append('t').append(versionCode(version)).append(sni ? 'd' : 'i');
        twoDigits(sb, cs.size());
        twoDigits(sb, ext.size());
        sb.append(alpnChars(firstAlpn)).append('_');

        List<Integer> sortedCs = new ArrayList<>(cs);
        Collections.sort(sortedCs);
        sb.append(sortedCs.isEmpty() ? EMPTY_HASH : hash12(hexList(sortedCs))).append('_');

        List<Integer> sortedExt = new ArrayList<>(ext.size());
        for (int e : ext) {
            if (e != EXT_SNI && e != EXT_ALPN) {
                sortedExt.add(e);
            }
        }
        Collections.sort(sortedExt);
        if (sortedExt.isEmpty()) {
            sb.append(EMPTY_HASH);
        } else {
            String c = hexList(sortedExt);
            List<Integer> sa = withoutGrease(sigAlgs);
            if (!sa.isEmpty()) {
                c = c + "_" + hexList(sa);
            }
            sb.append(hash12(c));
        }
        return sb.toString();
    }

    static String versionCode(int v) {
        switch (v) {
            case 0x0304: return "13";
            case 0x0303: return "12";
            case 0x0302: return "11";
            case 0x0301: return "10";
            case 0x0300: return "s3";
            case 0x0002: return "s2";
            case 0xfeff: return "d1";
            case 0xfefd: return "d2";
            case 0xfefc: return "d3";
            default: return "00";
        }
    }

    /**
     * First and last characters of the first ALPN value; "00" when absent or empty; when either end byte is
     * not an ASCII letter or digit, the first and last characters of the value's hex form instead.
     */
    static String alpnChars(byte[] a) {
        if (a == null || a.length == 0) {
            return "00";
        }
        int first = a[0] & 0xff;
        int last = a[a.length - 1] & 0xff;
        if (alnum(first) && alnum(last)) {
            return "" + (char) first + (char) last;
        }
        return "" + hexDigit(first >> 4) + hexDigit(last & 0xf);
    }

    private static boolean alnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static char hexDigit(int n) {
        return "0123456789abcdef".charAt(n & 0xf);
    }

    private static void twoDigits(StringBuilder sb, int n) {
        int v = Math.min(n, MAX_COUNT);
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static List<Integer> withoutGrease(List<Integer> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (int v : values) {
            if (!TlsDirectionDissector.isGrease(v)) {
                out.add(v);
            }
        }
        return out;
    }

    static String hexList(List<Integer> values) {
        StringBuilder sb = new StringBuilder(values.size() * 5);
        for (int v : values) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(hexDigit(v >> 12)).append(hexDigit(v >> 8)).append(hexDigit(v >> 4)).append(hexDigit(v));
        }
        return sb.toString();
    }

    static String hash12(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder(HASH_CHARS);
            for (int i = 0; i < HASH_CHARS / 2; i++) {
                sb.append(hexDigit(d[i] >> 4)).append(hexDigit(d[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            // SHA-256 is mandatory in every Java platform (java.security.MessageDigest).
            throw new IllegalStateException(e);
        }
    }
}
