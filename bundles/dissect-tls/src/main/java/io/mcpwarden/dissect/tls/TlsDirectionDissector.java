package io.mcpwarden.dissect.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows the TLS record layer of one direction of a TCP stream and reports the ClientHello and ServerHello.
 *
 * <p>Records (RFC 8446 §5.1, RFC 5246 §6.2.1) are read incrementally: handshake-record bodies are streamed into
 * a reassembly buffer holding one handshake message (RFC 8446 §4: messages may span records, and records may
 * span TCP segments), capped at {@link #MAX_HANDSHAKE_MESSAGE} bytes. Other record bodies are skipped without
 * copying. Once nothing more can be learnt in the clear the dissector is {@link #done()} and later feeds cost
 * nothing: after an application_data record, a handshake record following ChangeCipherSpec (encrypted), a
 * ServerHello that is not a HelloRetryRequest, or any stopping anomaly.
 *
 * <p>Never throws on any input. Not thread-safe: one instance per direction.
 */
public final class TlsDirectionDissector {
    /** RFC 8446 §5.1: content type, legacy_record_version, length. */
    static final int RECORD_HEADER = 5;
    /** RFC 5246 §6.2.3: TLSCiphertext.length must not exceed 2^14 + 2048. */
    public static final int MAX_RECORD_LENGTH = (1 << 14) + 2048;
    /** Cap on one reassembled handshake message body. */
    public static final int MAX_HANDSHAKE_MESSAGE = 64 * 1024;
    /** RFC 8446 §4: msg_type (1) and a 24-bit length. */
    static final int HANDSHAKE_HEADER = 4;

    static final int CT_CHANGE_CIPHER_SPEC = 20;
    static final int CT_ALERT = 21;
    static final int CT_HANDSHAKE = 22;
    static final int CT_APPLICATION_DATA = 23;
    /** RFC 6520 heartbeat: a valid record type, skipped. */
    static final int CT_HEARTBEAT = 24;
    static final int HT_CLIENT_HELLO = 1;
    static final int HT_SERVER_HELLO = 2;

    private static final byte[] NONE = new byte[0];
    private static final TlsResult EMPTY = new TlsResult(null, null, List.of());

    private final byte[] header = new byte[RECORD_HEADER];
    private int headerHave;
    private boolean inBody;
    private int recordType;
    private int recordLeft;
    private byte[] hs = NONE;
    private int hsHave;
    private int hsTotal;
    private boolean started;
    private boolean changeCipherSpecSeen;
    private boolean resync;
    private boolean done;

    /** Per-feed collector. */
    private ClientHello clientHello;
    private ServerHello serverHello;
    private List<String> anomalies;

    /**
     * Consumes the next bytes of this direction, {@code buf[off, off+len)}, in stream order.
     *
     * @return the hellos completed and the anomalies found by this call (an empty result when none, or when done)
     */
    public TlsResult feed(byte[] buf, int off, int len) {
        if (done || buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            return EMPTY;
        }
        clientHello = null;
        serverHello = null;
        anomalies = null;
        int p = off;
        final int end = off + len;
        if (resync) {
            resync = false;
            if (end - p < RECORD_HEADER || !plausibleHeader(buf, p, started)) {
                stop(TlsAnomaly.GAP);
            }
        }
        while (p < end && !done) {
            if (!inBody) {
                int n = Math.min(RECORD_HEADER - headerHave, end - p);
                System.arraycopy(buf, p, header, headerHave, n);
                headerHave += n;
                p += n;
                if (headerHave == RECORD_HEADER) {
                    headerHave = 0;
                    startRecord();
                }
            } else {
                int n = Math.min(recordLeft, end - p);
                if (recordType == CT_HANDSHAKE) {
                    handshakeBytes(buf, p, n);
                }
                p += n;
                recordLeft -= n;
                if (recordLeft == 0) {
                    inBody = false;
                }
            }
        }
        if (clientHello == null && serverHello == null && anomalies == null) {
            return EMPTY;
        }
        TlsResult r = new TlsResult(clientHello, serverHello, anomalies);
        clientHello = null;
        serverHello = null;
        anomalies = null;
        return r;
    }

    /**
     * Bytes of this direction were lost. Any partial record or handshake message is dropped; the next feed must
     * start with a plausible record header, or the dissector stops with {@link TlsAnomaly#GAP}.
     */
    public void gap() {
        if (done) {
            return;
        }
        headerHave = 0;
        inBody = false;
        hsHave = 0;
        hsTotal = 0;
        resync = true;
    }

    /** @return true when this direction needs no more data (later feeds return an empty result at no cost) */
    public boolean done() {
        return done;
    }

    private void startRecord() {
        int type = header[0] & 0xff;
        int major = header[1] & 0xff;
        int minor = header[2] & 0xff;
        int length = HelloParser.u16(header, 3);
        if (!started && (type & 0x80) != 0 && minor == HT_CLIENT_HELLO) {
            // SSL 2.0 record: 2-byte length with the top bit set, then msg_type 1 (RFC 5246 appendix E.2).
            stop(TlsAnomaly.SSLV2_HELLO);
            return;
        }
        if (type < CT_CHANGE_CIPHER_SPEC || type > CT_HEARTBEAT || major != 3 || minor > 4) {
            stop(started ? TlsAnomaly.RECORD_HEADER_INVALID : TlsAnomaly.NOT_TLS);
            return;
        }
        if (length > MAX_RECORD_LENGTH) {
            stop(TlsAnomaly.RECORD_TOO_LONG);
            return;
        }
        started = true;
        if (type != CT_HANDSHAKE && hsHave > 0) {
            anomaly(TlsAnomaly.HANDSHAKE_INTERLEAVED);
            hsHave = 0;
            hsTotal = 0;
        }
        if (type == CT_APPLICATION_DATA || (type == CT_HANDSHAKE && changeCipherSpecSeen)) {
            // Application data, or an encrypted handshake: nothing further is readable in the clear.
            finish();
            return;
        }
        if (type == CT_CHANGE_CIPHER_SPEC) {
            changeCipherSpecSeen = true;
        }
        if (type == CT_HANDSHAKE && length == 0) {
            anomaly(TlsAnomaly.RECORD_EMPTY);
        }
        recordType = type;
        recordLeft = length;
        inBody = length > 0;
    }

    /** Streams handshake-record bytes into the one-message reassembly buffer (RFC 8446 §4). */
    private void handshakeBytes(byte[] buf, int p, int n) {
        int q = p;
        int end = p + n;
        while (q < end && !done) {
            if (hsHave < HANDSHAKE_HEADER) {
                ensure(HANDSHAKE_HEADER);
                int k = Math.min(HANDSHAKE_HEADER - hsHave, end - q);
                System.arraycopy(buf, q, hs, hsHave, k);
                hsHave += k;
                q += k;
                if (hsHave < HANDSHAKE_HEADER) {
                    return;
                }
                int bodyLen = ((hs[1] & 0xff) << 16) | ((hs[2] & 0xff) << 8) | (hs[3] & 0xff);
                if (bodyLen > MAX_HANDSHAKE_MESSAGE) {
                    stop(TlsAnomaly.HANDSHAKE_TOO_LONG);
                    return;
                }
                hsTotal = HANDSHAKE_HEADER + bodyLen;
            }
            ensure(hsTotal);
            int k = Math.min(hsTotal - hsHave, end - q);
            System.arraycopy(buf, q, hs, hsHave, k);
            hsHave += k;
            q += k;
            if (hsHave == hsTotal) {
                int total = hsTotal;
                hsHave = 0;
                hsTotal = 0;
                message(hs, total);
            }
        }
    }

    private void message(byte[] m, int total) {
        int type = m[0] & 0xff;
        int bodyLen = total - HANDSHAKE_HEADER;
        if (type == HT_CLIENT_HELLO) {
            ClientHello ch = HelloParser.clientHello(m, HANDSHAKE_HEADER, bodyLen, anomalies());
            if (ch != null) {
                if (clientHello == null) {
                    clientHello = ch;
                } else {
                    anomaly(TlsAnomaly.EXTRA_HELLO);
                }
            }
        } else if (type == HT_SERVER_HELLO) {
            ServerHello sh = HelloParser.serverHello(m, HANDSHAKE_HEADER, bodyLen, anomalies());
            if (sh != null) {
                if (serverHello == null) {
                    serverHello = sh;
                } else {
                    anomaly(TlsAnomaly.EXTRA_HELLO);
                }
                if (!HelloParser.isHelloRetryRequest(m, HANDSHAKE_HEADER, bodyLen)) {
                    // The rest of the server's flight is encrypted (TLS 1.3) or not needed (certificates).
                    finish();
                }
            }
        }
    }

    private void ensure(int size) {
        if (hs.length < size) {
            byte[] b = new byte[Math.max(size, Math.min(HANDSHAKE_HEADER + MAX_HANDSHAKE_MESSAGE, hs.length * 2))];
            System.arraycopy(hs, 0, b, 0, hsHave);
            hs = b;
        }
    }

    private List<String> anomalies() {
        if (anomalies == null) {
            anomalies = new ArrayList<>(2);
        }
        return anomalies;
    }

    private void anomaly(String name) {
        addAnomaly(anomalies(), name);
    }

    private void stop(String name) {
        anomaly(name);
        finish();
    }

    private void finish() {
        done = true;
        hs = NONE;
        hsHave = 0;
        hsTotal = 0;
    }

    private static boolean plausibleHeader(byte[] b, int p, boolean started) {
        int type = b[p] & 0xff;
        return type >= CT_CHANGE_CIPHER_SPEC && type <= CT_HEARTBEAT && (b[p + 1] & 0xff) == 3
                && (b[p + 2] & 0xff) <= 4 && HelloParser.u16(b, p + 3) <= MAX_RECORD_LENGTH;
    }

    static void addAnomaly(List<String> list, String name) {
        if (!list.contains(name)) {
            list.add(name);
        }
    }

    /**
     * Cheap check for the start of a TLS stream: a handshake record (type 22) with record version 0x0301..0x0304,
     * a non-zero length within {@link #MAX_RECORD_LENGTH}, whose first handshake message is a ClientHello (type 1);
     * when its 24-bit length is present it must be at least 38 and within {@link #MAX_HANDSHAKE_MESSAGE}.
     */
    public static boolean looksLikeClientHello(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < RECORD_HEADER + 1 || off > buf.length - len) {
            return false;
        }
        int recLen = HelloParser.u16(buf, off + 3);
        if ((buf[off] & 0xff) != CT_HANDSHAKE || buf[off + 1] != 3 || buf[off + 2] < 1 || buf[off + 2] > 4
                || recLen == 0 || recLen > MAX_RECORD_LENGTH || buf[off + 5] != HT_CLIENT_HELLO) {
            return false;
        }
        if (len >= RECORD_HEADER + HANDSHAKE_HEADER) {
            int hl = ((buf[off + 6] & 0xff) << 16) | ((buf[off + 7] & 0xff) << 8) | (buf[off + 8] & 0xff);
            // version(2) + random(32) + session id length(1) + cipher_suites length(2) + compression length(1)
            return hl >= 38 && hl <= MAX_HANDSHAKE_MESSAGE;
        }
        return true;
    }

    /** @return true for the GREASE values of RFC 8701 §2 (0x0a0a, 0x1a1a, ..., 0xfafa) */
    public static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && ((v >> 8) & 0xff) == (v & 0xff);
    }

    /** @return "TLS 1.3", "TLS 1.2", "TLS 1.1", "TLS 1.0", "SSL 3.0", else {@link #hex4(int)} */
    public static String versionName(int v) {
        switch (v) {
            case 0x0304: return "TLS 1.3";
            case 0x0303: return "TLS 1.2";
            case 0x0302: return "TLS 1.1";
            case 0x0301: return "TLS 1.0";
            case 0x0300: return "SSL 3.0";
            default: return hex4(v);
        }
    }

    /** @return {@code v} as "0x" and four lower-case hex digits, e.g. "0x0304" */
    public static String hex4(int v) {
        return String.format("0x%04x", v);
    }
}
