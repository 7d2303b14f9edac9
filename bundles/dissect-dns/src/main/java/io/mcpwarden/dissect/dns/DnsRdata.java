package io.mcpwarden.dissect.dns;

import java.util.Base64;
import java.util.List;

/** RDATA presentation per type. Every read is bounded by the RDATA region [{@code from}, {@code to}). */
final class DnsRdata {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** RFC 9460 §14.3.2 SvcParamKeys with a presentation form here. */
    private static final int SVC_MANDATORY = 0;
    private static final int SVC_ALPN = 1;
    private static final int SVC_NO_DEFAULT_ALPN = 2;
    private static final int SVC_PORT = 3;
    private static final int SVC_IPV4HINT = 4;
    private static final int SVC_ECH = 5;
    private static final int SVC_IPV6HINT = 6;
    private static final int SVC_DOHPATH = 7;

    private DnsRdata() {
    }

    /**
     * Presents the RDATA of one record; on structural errors falls back to the RFC 3597 generic form and
     * adds {@link DnsAnomaly#RDATA_INVALID} (or the name anomaly met) to {@code anomalies}.
     */
    static String present(byte[] buf, int msgOff, int msgEnd, int type, int from, int to, List<String> anomalies) {
        String text;
        String[] anomaly = new String[1];
        switch (type) {
            case DnsTypes.A:
                text = to - from == 4 ? ipv4(buf, from) : null;
                break;
            case DnsTypes.AAAA:
                text = to - from == 16 ? ipv6(buf, from) : null;
                break;
            case DnsTypes.NS:
            case DnsTypes.CNAME:
            case DnsTypes.PTR:
                text = exactName(buf, msgOff, msgEnd, from, to, anomaly);
                break;
            case DnsTypes.MX:
                text = to - from >= 3 ? join(Integer.toString(u16(buf, from)),
                        exactName(buf, msgOff, msgEnd, from + 2, to, anomaly)) : null;
                break;
            case DnsTypes.TXT:
                text = txt(buf, from, to);
                break;
            case DnsTypes.SOA:
                text = soa(buf, msgOff, msgEnd, from, to, anomaly);
                break;
            case DnsTypes.SRV:
                text = to - from >= 7 ? join(u16(buf, from) + " " + u16(buf, from + 2) + " " + u16(buf, from + 4),
                        exactName(buf, msgOff, msgEnd, from + 6, to, anomaly)) : null;
                break;
            case DnsTypes.SVCB:
            case DnsTypes.HTTPS:
                text = svcb(buf, msgOff, msgEnd, from, to, anomaly);
                break;
            default:
                return generic(buf, from, to);
        }
        if (text == null) {
            DnsDissector.addAnomaly(anomalies, anomaly[0] != null ? anomaly[0] : DnsAnomaly.RDATA_INVALID);
            return generic(buf, from, to);
        }
        return text;
    }

    private static String join(String head, String tail) {
        return tail == null ? null : head + " " + tail;
    }

    /** A name that must end exactly at {@code to}. */
    private static String exactName(byte[] buf, int msgOff, int msgEnd, int from, int to, String[] anomaly) {
        DnsNames.Name n = DnsNames.read(buf, msgOff, msgEnd, from, to);
        if (!n.ok()) {
            anomaly[0] = n.anomaly();
            return null;
        }
        return n.end() == to ? n.text() : null;
    }

    private static String soa(byte[] buf, int msgOff, int msgEnd, int from, int to, String[] anomaly) {
        // RFC 1035 §3.3.13: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM
        DnsNames.Name m = DnsNames.read(buf, msgOff, msgEnd, from, to);
        if (!m.ok()) {
            anomaly[0] = m.anomaly();
            return null;
        }
        DnsNames.Name r = DnsNames.read(buf, msgOff, msgEnd, m.end(), to);
        if (!r.ok()) {
            anomaly[0] = r.anomaly();
            return null;
        }
        if (to - r.end() != 20) {
            return null;
        }
        int p = r.end();
        return m.text() + " " + r.text() + " " + u32(buf, p) + " " + u32(buf, p + 4) + " " + u32(buf, p + 8)
                + " " + u32(buf, p + 12) + " " + u32(buf, p + 16);
    }

    /**
     * RFC 1035 §3.3.14: one or more character-strings, each presented quoted (RFC 1035 §5.1) with '"' and
     * '\' backslash-escaped and bytes outside 0x20..0x7E as {@code \DDD}, separated by one space.
     */
    private static String txt(byte[] buf, int from, int to) {
        if (from >= to) {
            return null;
        }
        StringBuilder sb = new StringBuilder(to - from + 8);
        int p = from;
        while (p < to) {
            int n = buf[p] & 0xff;
            if (n > to - p - 1) {
                return null;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            appendQuoted(sb, buf, p + 1, n);
            p += 1 + n;
        }
        return sb.toString();
    }

    private static void appendQuoted(StringBuilder sb, byte[] buf, int from, int len) {
        sb.append('"');
        for (int i = from; i < from + len; i++) {
            int c = buf[i] & 0xff;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c < 0x20 || c > 0x7e) {
                DnsNames.appendDecimalEscape(sb, c);
            } else {
                sb.append((char) c);
            }
        }
        sb.append('"');
    }

    /**
     * RFC 9460 §2.2 (SVCB/HTTPS): {@code priority target key=value ...}; alpn as a comma list (commas and
     * backslashes inside an id escaped), port decimal, ipv4hint/ipv6hint comma lists, mandatory as key names,
     * ech base64, dohpath and unknown keys ({@code keyNNNNN}) as quoted strings.
     */
    private static String svcb(byte[] buf, int msgOff, int msgEnd, int from, int to, String[] anomaly) {
        if (to - from < 3) {
            return null;
        }
        int priority = u16(buf, from);
        DnsNames.Name target = DnsNames.read(buf, msgOff, msgEnd, from + 2, to);
        if (!target.ok()) {
            anomaly[0] = target.anomaly();
            return null;
        }
        StringBuilder sb = new StringBuilder(64).append(priority).append(' ').append(target.text());
        int p = target.end();
        while (p < to) {
            if (to - p < 4) {
                return null;
            }
            int key = u16(buf, p);
            int len = u16(buf, p + 2);
            int v = p + 4;
            if (len > to - v) {
                return null;
            }
            sb.append(' ').append(svcKeyName(key));
            if (!appendSvcValue(sb, buf, key, v, len)) {
                return null;
            }
            p = v + len;
        }
        return sb.toString();
    }

    private static String svcKeyName(int key) {
        switch (key) {
            case SVC_MANDATORY: return "mandatory";
            case SVC_ALPN: return "alpn";
            case SVC_NO_DEFAULT_ALPN: return "no-default-alpn";
            case SVC_PORT: return "port";
            case SVC_IPV4HINT: return "ipv4hint";
            case SVC_ECH: return "ech";
            case SVC_IPV6HINT: return "ipv6hint";
            case SVC_DOHPATH: return "dohpath";
            default: return "key" + key;
        }
    }

    private static boolean appendSvcValue(StringBuilder sb, byte[] buf, int key, int v, int len) {
        switch (key) {
            case SVC_NO_DEFAULT_ALPN:
                return len == 0;
            case SVC_PORT:
                if (len != 2) {
                    return false;
                }
                sb.append('=').append(u16(buf, v));
                return true;
            case SVC_MANDATORY:
                if (len == 0 || len % 2 != 0) {
                    return false;
                }
                sb.append('=');
                for (int i = 0; i < len; i += 2) {
                    sb.append(i == 0 ? "" : ",").append(svcKeyName(u16(buf, v + i)));
                }
                return true;
            case SVC_ALPN: {
                if (len == 0) {
                    return false;
                }
                sb.append('=');
                int p = v;
                while (p < v + len) {
                    int n = buf[p] & 0xff;
                    if (n == 0 || n > v + len - p - 1) {
                        return false;
                    }
                    if (p > v) {
                        sb.append(',');
                    }
                    for (int i = p + 1; i <= p + n; i++) {
                        int c = buf[i] & 0xff;
                        if (c == ',' || c == '\\') {
                            sb.append('\\').append((char) c);
                        } else if (c < 0x21 || c > 0x7e || c == '"') {
                            DnsNames.appendDecimalEscape(sb, c);
                        } else {
                            sb.append((char) c);
                        }
                    }
                    p += 1 + n;
                }
                return true;
            }
            case SVC_IPV4HINT:
                if (len == 0 || len % 4 != 0) {
                    return false;
                }
                sb.append('=');
                for (int i = 0; i < len; i += 4) {
                    sb.append(i == 0 ? "" : ",").append(ipv4(buf, v + i));
                }
                return true;
            case SVC_IPV6HINT:
                if (len == 0 || len % 16 != 0) {
                    return false;
                }
                sb.append('=');
                for (int i = 0; i < len; i += 16) {
                    sb.append(i == 0 ? "" : ",").append(ipv6(buf, v + i));
                }
                return true;
            case SVC_ECH: {
                byte[] raw = new byte[len];
                System.arraycopy(buf, v, raw, 0, len);
                sb.append('=').append(Base64.getEncoder().encodeToString(raw));
                return true;
            }
            default:
                if (len > 0) {
                    sb.append('=');
                    appendQuoted(sb, buf, v, len);
                }
                return true;
        }
    }

    /** RFC 3597 §5 generic RDATA: {@code \# <length> <hex>}. */
    static String generic(byte[] buf, int from, int to) {
        int n = to - from;
        StringBuilder sb = new StringBuilder(8 + 2 * n).append("\\# ").append(n);
        if (n > 0) {
            sb.append(' ');
            for (int i = from; i < to; i++) {
                sb.append(HEX[(buf[i] >> 4) & 0xf]).append(HEX[buf[i] & 0xf]);
            }
        }
        return sb.toString();
    }

    static String ipv4(byte[] buf, int p) {
        return (buf[p] & 0xff) + "." + (buf[p + 1] & 0xff) + "." + (buf[p + 2] & 0xff) + "." + (buf[p + 3] & 0xff);
    }

    /**
     * RFC 5952 §4 text form: lower-case hex, no leading zeros, the longest run (first on a tie) of two or more
     * zero groups as "::"; §5 IPv4-mapped addresses (::ffff:0:0/96) end in dotted-quad notation.
     */
    static String ipv6(byte[] buf, int p) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = u16(buf, p + 2 * i);
        }
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + ipv4(buf, p + 12);
        }
        int bestStart = -1;
        int bestLen = 1;
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

    static int u16(byte[] buf, int p) {
        return ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
    }

    static long u32(byte[] buf, int p) {
        return ((long) u16(buf, p) << 16) | u16(buf, p + 2);
    }
}
