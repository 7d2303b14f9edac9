package io.mcpwarden.dissect.http2;

import io.mcpwarden.dissect.http.HttpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Follows both directions of one HTTP/2 connection (RFC 9113): the client's connection preface (§3.4), then
 * frames (§4.1: 24-bit length, type, flags, 31-bit stream id). HEADERS / PUSH_PROMISE and their CONTINUATION
 * frames are joined into header blocks and decoded with one HPACK decoder per direction (RFC 7541; Netty's
 * {@link DefaultHttp2HeadersDecoder}); PUSH_PROMISE blocks are decoded only to keep the table in step. DATA
 * padding is removed (§6.1). SETTINGS, PING, PRIORITY, WINDOW_UPDATE and GOAWAY are read past.
 *
 * <p>Bounded: frames over {@link #MAX_FRAME} are skipped; header blocks over {@link #MAX_HEADER_BLOCK} stop
 * the direction (its HPACK state would be lost). Never throws on any input. Not thread-safe.
 */
public final class Http2Connection {
    /** RFC 9113 §3.4. */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Longest frame payload read (SETTINGS_MAX_FRAME_SIZE may go up to 2^24-1; peers rarely exceed 16 KiB). */
    public static final int MAX_FRAME = 1 << 20;
    /** Longest header block (HEADERS plus CONTINUATION) decoded. */
    public static final int MAX_HEADER_BLOCK = 256 * 1024;
    /** Largest decoded header list accepted (RFC 9113 SETTINGS_MAX_HEADER_LIST_SIZE). */
    static final long MAX_HEADER_LIST = 256 * 1024;
    /** Largest HPACK dynamic table accepted (the peers' SETTINGS_HEADER_TABLE_SIZE). */
    static final long MAX_TABLE = 64 * 1024;

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int PUSH_PROMISE = 5;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY = 0x20;

    private final Http2Listener listener;
    private final Side client;
    private final Side server;

    public Http2Connection(Http2Listener listener) {
        this.listener = listener;
        this.client = new Side(true);
        this.server = new Side(false);
    }

    /** @return true when the bytes start with (a prefix of at least 16 bytes of) the client connection preface */
    public static boolean looksLikePreface(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 16 || off > b.length - len) {
            return false;
        }
        int n = Math.min(len, PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (b[off + i] != PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The next bytes of one direction, in order. */
    public void feed(boolean fromClient, byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off > b.length - len) {
            return;
        }
        Side s = fromClient ? client : server;
        try {
            s.feed(b, off, len);
        } catch (RuntimeException e) {
            s.stop(Http2Anomalies.PROTOCOL_ERROR);
        }
    }

    /** Bytes of one direction were lost. */
    public void gap(boolean fromClient) {
        (fromClient ? client : server).stop(Http2Anomalies.GAP);
    }

    /** One direction's frames and HPACK state. */
    private final class Side {
        final boolean fromClient;
        final DefaultHttp2HeadersDecoder hpack;
        int prefaceLeft;
        final byte[] head = new byte[9];
        int headHave;
        byte[] payload = new byte[0];
        int payloadHave;
        int length;
        int type;
        int flags;
        int stream;
        int skip;
        byte[] block = new byte[0];
        int blockLen;
        int blockStream;
        int blockType;
        boolean blockEndStream;
        boolean inBlock;
        boolean stopped;

        Side(boolean fromClient) {
            this.fromClient = fromClient;
            this.prefaceLeft = fromClient ? PREFACE.length : 0;
            DefaultHttp2HeadersDecoder d = new DefaultHttp2HeadersDecoder(false, MAX_HEADER_LIST);
            try {
                d.maxHeaderTableSize(MAX_TABLE);
            } catch (Http2Exception e) {
                // the default (4096) stays
            }
            this.hpack = d;
        }

        void stop(String anomaly) {
            if (!stopped) {
                stopped = true;
                payload = new byte[0];
                block = new byte[0];
                listener.onAnomaly(anomaly);
            }
        }

        void feed(byte[] b, int off, int len) {
            int p = off;
            int end = off + len;
            while (p < end && !stopped) {
                if (prefaceLeft > 0) {
                    int i = PREFACE.length - prefaceLeft;
                    if (b[p] != PREFACE[i]) {
                        stop(Http2Anomalies.BAD_PREFACE);
                        return;
                    }
                    prefaceLeft--;
                    p++;
                    continue;
                }
                if (skip > 0) {
                    int n = Math.min(skip, end - p);
                    skip -= n;
                    p += n;
                    continue;
                }
                if (headHave < 9) {
                    head[headHave++] = b[p++];
                    if (headHave == 9) {
                        length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
                        type = head[3] & 0xff;
                        flags = head[4] & 0xff;
                        stream = ((head[5] & 0x7f) << 24) | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8
                                | (head[8] & 0xff);
                        payloadHave = 0;
                        if (length > MAX_FRAME) {
                            if (type == HEADERS || type == CONTINUATION || type == PUSH_PROMISE) {
                                stop(Http2Anomalies.HEADER_BLOCK_TOO_LARGE);
                                return;
                            }
                            listener.onAnomaly(Http2Anomalies.FRAME_TOO_LARGE);
                            skip = length;
                            headHave = 0;
                        } else if (type != DATA && type != HEADERS && type != CONTINUATION && type != PUSH_PROMISE
                                && type != RST_STREAM) {
                            skip = length; // SETTINGS, PING, PRIORITY, WINDOW_UPDATE, GOAWAY, unknown: read past
                            headHave = 0;
                        } else if (length == 0) {
                            headHave = 0;
                            frame(payload, 0);
                        } else if (payload.length < length) {
                            payload = new byte[Math.max(length, Math.min(MAX_FRAME, payload.length * 2 + 1024))];
                        }
                    }
                    continue;
                }
                int n = Math.min(length - payloadHave, end - p);
                System.arraycopy(b, p, payload, payloadHave, n);
                payloadHave += n;
                p += n;
                if (payloadHave == length) {
                    headHave = 0;
                    frame(payload, length);
                }
            }
        }

        private void frame(byte[] f, int len) {
            if (inBlock && type != CONTINUATION) {
                stop(Http2Anomalies.PROTOCOL_ERROR); // RFC 9113 §6.10: nothing may interleave a header block
                return;
            }
            switch (type) {
                case DATA -> {
                    int start = 0;
                    int padding = 0;
                    if ((flags & PADDED) != 0) {
                        if (len < 1) {
                            listener.onAnomaly(Http2Anomalies.PROTOCOL_ERROR);
                            return;
                        }
                        padding = f[0] & 0xff;
                        start = 1;
                    }
                    int n = len - start - padding;
                    if (n < 0) {
                        listener.onAnomaly(Http2Anomalies.PROTOCOL_ERROR);
                        return;
                    }
                    listener.onData(stream, fromClient, f, start, n, (flags & END_STREAM) != 0);
                }
                case HEADERS, PUSH_PROMISE -> {
                    int start = 0;
                    int padding = 0;
                    if ((flags & PADDED) != 0) {
                        if (len < 1) {
                            stop(Http2Anomalies.PROTOCOL_ERROR);
                            return;
                        }
                        padding = f[0] & 0xff;
                        start = 1;
                    }
                    if (type == HEADERS && (flags & PRIORITY) != 0) {
                        start += 5;
                    } else if (type == PUSH_PROMISE) {
                        start += 4;
                    }
                    int n = len - start - padding;
                    if (n < 0) {
                        stop(Http2Anomalies.PROTOCOL_ERROR);
                        return;
                    }
                    blockLen = 0;
                    blockStream = stream;
                    blockType = type;
                    blockEndStream = type == HEADERS && (flags & END_STREAM) != 0;
                    append(f, start, n);
                    if ((flags & END_HEADERS) != 0) {
                        endBlock();
                    } else {
                        inBlock = true;
                    }
                }
                case CONTINUATION -> {
                    if (!inBlock || stream != blockStream) {
                        stop(Http2Anomalies.PROTOCOL_ERROR);
                        return;
                    }
                    append(f, 0, len);
                    if ((flags & END_HEADERS) != 0) {
                        inBlock = false;
                        endBlock();
                    }
                }
                case RST_STREAM -> listener.onReset(stream);
                default -> {
                }
            }
        }

        private void append(byte[] f, int off, int n) {
            if (stopped) {
                return;
            }
            if (blockLen + n > MAX_HEADER_BLOCK) {
                stop(Http2Anomalies.HEADER_BLOCK_TOO_LARGE);
                return;
            }
            if (block.length < blockLen + n) {
                byte[] nb = new byte[Math.max(blockLen + n, Math.min(MAX_HEADER_BLOCK, block.length * 2 + 256))];
                System.arraycopy(block, 0, nb, 0, blockLen);
                block = nb;
            }
            System.arraycopy(f, off, block, blockLen, n);
            blockLen += n;
        }

        private void endBlock() {
            if (stopped) {
                return;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(block, 0, blockLen);
            Http2Headers h;
            try {
                h = hpack.decodeHeaders(blockStream, buf);
            } catch (Http2Exception | RuntimeException e) {
                stop(Http2Anomalies.HPACK_ERROR);
                return;
            } finally {
                buf.release();
            }
            if (blockType == PUSH_PROMISE) {
                return;
            }
            List<HttpHeader> headers = new ArrayList<>(h.size());
            for (Map.Entry<CharSequence, CharSequence> e : h) {
                headers.add(new HttpHeader(e.getKey().toString(), e.getValue().toString()));
            }
            listener.onHeaders(blockStream, fromClient, headers, blockEndStream);
        }
    }
}
