package io.mcpwarden.flow;

/** Textual addresses: IPv4 dotted quad, IPv6 in the RFC 5952 canonical form. */
final class IpText {
    private IpText() {
    }

    /** Text of the first {@code len} (4 or 16) bytes of {@code a}; "?" for other lengths. */
    static String format(byte[] a, int len) {
        if (len == 4 && a.length >= 4) {
            return v4(a, 0);
        }
        if (len == 16 && a.length >= 16) {
            return v6(a);
        }
        return "?";
    }

    private static String v4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }

    /** RFC 5952 section 4: lowercase, no leading zeros, longest run (>= 2) of zero groups as "::", first on tie. */
    private static String v6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        // RFC 5952 section 5: IPv4-mapped addresses keep the dotted quad.
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + v4(a, 12);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
