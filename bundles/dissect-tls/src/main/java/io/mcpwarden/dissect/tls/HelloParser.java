package io.mcpwarden.dissect.tls;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** ClientHello / ServerHello body parsers. Every read is bounded by the message region; nothing throws. */
final class HelloParser {
    /** Cap on kept entries of any list (cipher suites, extensions, groups, signature algorithms, versions). */
    static final int MAX_LIST_VALUES = 512;
    /** Cap on kept ALPN protocol names. */
    static final int MAX_ALPN = 32;
    /** RFC 1035 / RFC 6066: a host name is at most 255 octets. */
    static final int MAX_SNI_LENGTH = 255;
    /** RFC 8446 §4.1.2: legacy_session_id is at most 32 bytes. */
    static final int MAX_SESSION_ID = 32;
    static final int RANDOM_LENGTH = 32;

    static final int EXT_SERVER_NAME = 0;
    static final int EXT_SUPPORTED_GROUPS = 10;
    static final int EXT_SIGNATURE_ALGORITHMS = 13;
    static final int EXT_ALPN = 16;
    static final int EXT_SUPPORTED_VERSIONS = 43;

    /** RFC 8446 §4.1.3: the ServerHello.random of a HelloRetryRequest is SHA-256("HelloRetryRequest"). */
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D,
        (byte) 0x8C, 0x02, 0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16,
        0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E, 0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8,
        0x33, (byte) 0x9C};

    private HelloParser() {
    }

    /** Parses a ClientHello body (after the 4-byte handshake header), RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2. */
    static ClientHello clientHello(byte[] b, int off, int len, List<String> anomalies) {
        int end = off + len;
        int p = off;
        if (end - p < 2 + RANDOM_LENGTH + 1) {
            return malformed(anomalies, TlsAnomaly.CLIENT_HELLO_MALFORMED);
        }
        int legacy = u16(b, p);
        p += 2 + RANDOM_LENGTH;
        int sid = b[p] & 0xff;
        p++;
        if (sid > MAX_SESSION_ID || sid > end - p) {
            return malformed(anomalies, TlsAnomaly.CLIENT_HELLO_MALFORMED);
        }
        p += sid;
        if (end - p < 2) {
            return malformed(anomalies, TlsAnomaly.CLIENT_HELLO_MALFORMED);
        }
        int csLen = u16(b, p);
        p += 2;
        if ((csLen & 1) != 0 || csLen > end - p) {
            return malformed(anomalies, TlsAnomaly.CLIENT_HELLO_MALFORMED);
        }
        List<Integer> ciphers = u16List(b, p, csLen, anomalies);
        p += csLen;
        if (end - p < 1) {
            return malformed(anomalies, TlsAnomaly.CLIENT_HELLO_MALFORMED);
        }
        int cmLen = b[p] & 0xff;
        p++;
        if (cmLen > end - p) {
            return malformed(anomalies, TlsAnomaly.CLIENT_HELLO_MALFORMED);
        }
        p += cmLen;

        List<Integer> extTypes = new ArrayList<>();
        List<Integer> versions = List.of();
        List<Integer> sigAlgs = List.of();
        List<Integer> groups = List.of();
        List<String> alpn = List.of();
        byte[][] firstAlpn = new byte[1][];
        String sni = null;
        // Extensions are optional before TLS 1.3 (RFC 5246 §7.4.1.2): nothing left means none.
        if (p < end) {
            int extEnd = extensionsEnd(b, p, end, anomalies);
            p += 2;
            Set<Integer> seen = new HashSet<>();
            while (extEnd - p >= 4) {
                int type = u16(b, p);
                int elen = u16(b, p + 2);
                int d = p + 4;
                if (elen > extEnd - d) {
                    TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
                    break;
                }
                if (!seen.add(type)) {
                    TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.DUPLICATE_EXTENSION);
                }
                if (extTypes.size() < MAX_LIST_VALUES) {
                    extTypes.add(type);
                } else {
                    TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.TOO_MANY_VALUES);
                }
                switch (type) {
                    case EXT_SERVER_NAME:
                        if (sni == null) {
                            sni = serverName(b, d, elen, anomalies);
                        }
                        break;
                    case EXT_ALPN:
                        alpn = alpnList(b, d, elen, anomalies, firstAlpn);
                        break;
                    case EXT_SIGNATURE_ALGORITHMS:
                        sigAlgs = prefixedU16List(b, d, elen, 2, anomalies);
                        break;
                    case EXT_SUPPORTED_GROUPS:
                        groups = prefixedU16List(b, d, elen, 2, anomalies);
                        break;
                    case EXT_SUPPORTED_VERSIONS:
                        versions = prefixedU16List(b, d, elen, 1, anomalies);
                        break;
                    default:
                        break;
                }
                p = d + elen;
            }
            if (p != extEnd) {
                TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            }
        }
        String ja4 = Ja4.compute(legacy, versions, ciphers, extTypes, firstAlpn[0], sigAlgs);
        return new ClientHello(legacy, versions, ciphers, extTypes, sni, alpn, sigAlgs, groups, ja4);
    }

    /** Parses a ServerHello body, RFC 8446 §4.1.3 / RFC 5246 §7.4.1.3. */
    static ServerHello serverHello(byte[] b, int off, int len, List<String> anomalies) {
        int end = off + len;
        int p = off;
        if (end - p < 2 + RANDOM_LENGTH + 1) {
            return malformed(anomalies, TlsAnomaly.SERVER_HELLO_MALFORMED);
        }
        int legacy = u16(b, p);
        boolean hrr = java.util.Arrays.equals(b, p + 2, p + 2 + RANDOM_LENGTH, HRR_RANDOM, 0, RANDOM_LENGTH);
        p += 2 + RANDOM_LENGTH;
        int sid = b[p] & 0xff;
        p++;
        if (sid > MAX_SESSION_ID || end - p < sid + 3) {
            return malformed(anomalies, TlsAnomaly.SERVER_HELLO_MALFORMED);
        }
        p += sid;
        int cipher = u16(b, p);
        p += 3; // cipher_suite, legacy_compression_method
        int selected = legacy;
        String alpn = null;
        if (p < end) {
            int extEnd = extensionsEnd(b, p, end, anomalies);
            p += 2;
            Set<Integer> seen = new HashSet<>();
            while (extEnd - p >= 4) {
                int type = u16(b, p);
                int elen = u16(b, p + 2);
                int d = p + 4;
                if (elen > extEnd - d) {
                    TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
                    break;
                }
                if (!seen.add(type)) {
                    TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.DUPLICATE_EXTENSION);
                }
                if (type == EXT_SUPPORTED_VERSIONS) {
                    // RFC 8446 §4.2.1: the ServerHello form carries one selected_version.
                    if (elen == 2) {
                        selected = u16(b, d);
                    } else {
                        TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
                    }
                } else if (type == EXT_ALPN) {
                    // RFC 7301 §3.1: the server's list holds exactly one name.
                    List<String> one = alpnList(b, d, elen, anomalies, new byte[1][]);
                    if (one.size() == 1) {
                        alpn = one.get(0);
                    } else {
                        TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
                    }
                }
                p = d + elen;
            }
            if (p != extEnd) {
                TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            }
        }
        if (hrr) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.HELLO_RETRY_REQUEST);
        }
        return new ServerHello(legacy, selected, cipher, alpn);
    }

    static boolean isHelloRetryRequest(byte[] b, int off, int len) {
        return len >= 2 + RANDOM_LENGTH
                && java.util.Arrays.equals(b, off + 2, off + 2 + RANDOM_LENGTH, HRR_RANDOM, 0, RANDOM_LENGTH);
    }

    /** Reads the extensions block length at {@code p}; returns its end, clamped to {@code end} (flagged). */
    private static int extensionsEnd(byte[] b, int p, int end, List<String> anomalies) {
        if (end - p < 2) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            return p + 2 > end ? end : p + 2;
        }
        int n = u16(b, p);
        if (n > end - p - 2) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            return end;
        }
        return p + 2 + n;
    }

    /** RFC 6066 §3 ServerNameList: the first host_name (type 0). */
    private static String serverName(byte[] b, int d, int len, List<String> anomalies) {
        if (len < 2 || u16(b, d) != len - 2) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            return null;
        }
        int p = d + 2;
        int end = d + len;
        while (end - p >= 3) {
            int nameType = b[p] & 0xff;
            int n = u16(b, p + 1);
            p += 3;
            if (n > end - p) {
                TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
                return null;
            }
            if (nameType == 0) {
                boolean bad = n == 0 || n > MAX_SNI_LENGTH;
                int keep = Math.min(n, MAX_SNI_LENGTH);
                for (int i = p; i < p + keep; i++) {
                    int c = b[i] & 0xff;
                    bad |= c < 0x21 || c > 0x7e;
                }
                if (bad) {
                    TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.SNI_INVALID);
                }
                return text(b, p, keep);
            }
            p += n;
        }
        return null;
    }

    /** RFC 7301 §3.1 ProtocolNameList; stores the first name's raw bytes in {@code first[0]}. */
    private static List<String> alpnList(byte[] b, int d, int len, List<String> anomalies, byte[][] first) {
        if (len < 2 || u16(b, d) != len - 2) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        int p = d + 2;
        int end = d + len;
        while (p < end) {
            int n = b[p] & 0xff;
            p++;
            if (n > end - p) {
                TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
                break;
            }
            if (first[0] == null) {
                first[0] = java.util.Arrays.copyOfRange(b, p, p + n);
            }
            if (out.size() < MAX_ALPN) {
                out.add(text(b, p, n));
            } else {
                TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.TOO_MANY_VALUES);
            }
            p += n;
        }
        return out;
    }

    /** A list of 16-bit values preceded by a {@code prefix}-byte length that must fill the extension. */
    private static List<Integer> prefixedU16List(byte[] b, int d, int len, int prefix, List<String> anomalies) {
        if (len < prefix) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            return List.of();
        }
        int n = prefix == 1 ? b[d] & 0xff : u16(b, d);
        if (n != len - prefix || (n & 1) != 0) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.EXTENSION_MALFORMED);
            n = Math.min(n, len - prefix) & ~1;
        }
        return u16List(b, d + prefix, n, anomalies);
    }

    private static List<Integer> u16List(byte[] b, int p, int len, List<String> anomalies) {
        int count = len / 2;
        if (count > MAX_LIST_VALUES) {
            TlsDirectionDissector.addAnomaly(anomalies, TlsAnomaly.TOO_MANY_VALUES);
            count = MAX_LIST_VALUES;
        }
        List<Integer> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(u16(b, p + 2 * i));
        }
        return out;
    }

    /** Printable ASCII kept; other bytes and '\' written as {@code \xHH}. */
    static String text(byte[] b, int p, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = p; i < p + n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c > 0x7e || c == '\\') {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static <T> T malformed(List<String> anomalies, String name) {
        TlsDirectionDissector.addAnomaly(anomalies, name);
        return null;
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
