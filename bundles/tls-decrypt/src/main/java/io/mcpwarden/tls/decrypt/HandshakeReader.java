package io.mcpwarden.tls.decrypt;

/**
 * Reassembles handshake messages (RFC 8446 §4: 1-byte type, 24-bit length) of one direction across records.
 * Messages longer than {@link #MAX_MESSAGE} (large certificate chains) are skipped, not kept.
 */
final class HandshakeReader {
    static final int MAX_MESSAGE = 64 * 1024;

    /** Receives complete messages; {@code body} is reused after the call. */
    interface Sink {
        void message(int type, byte[] body, int off, int len);
    }

    private final byte[] head = new byte[4];
    private int headHave;
    private byte[] body = new byte[0];
    private int bodyHave;
    private int bodyLen;
    private int skip;

    void feed(byte[] b, int off, int len, Sink sink) {
        int p = off;
        int end = off + len;
        while (p < end) {
            if (skip > 0) {
                int n = Math.min(skip, end - p);
                skip -= n;
                p += n;
                if (skip == 0) {
                    headHave = 0;
                }
                continue;
            }
            if (headHave < 4) {
                head[headHave++] = b[p++];
                if (headHave == 4) {
                    bodyLen = (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff);
                    bodyHave = 0;
                    if (bodyLen > MAX_MESSAGE) {
                        skip = bodyLen;
                        sink.message(head[0] & 0xff, body, 0, -1);
                    } else if (bodyLen == 0) {
                        headHave = 0;
                        sink.message(head[0] & 0xff, body, 0, 0);
                    } else if (body.length < bodyLen) {
                        body = new byte[Math.max(bodyLen, Math.min(MAX_MESSAGE, body.length * 2))];
                    }
                }
                continue;
            }
            int n = Math.min(bodyLen - bodyHave, end - p);
            System.arraycopy(b, p, body, bodyHave, n);
            bodyHave += n;
            p += n;
            if (bodyHave == bodyLen) {
                headHave = 0;
                sink.message(head[0] & 0xff, body, 0, bodyLen);
            }
        }
    }

    /** Drops any partial message (after a key change nothing may straddle, RFC 8446 §5.1). */
    void reset() {
        headHave = 0;
        bodyHave = 0;
        skip = 0;
    }
}
