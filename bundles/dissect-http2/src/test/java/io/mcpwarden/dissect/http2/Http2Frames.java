package io.mcpwarden.dissect.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

/** Builds HTTP/2 frames and HPACK header blocks for tests (this module's and, as a test-jar, the pipeline's). */
public final class Http2Frames {
    private Http2Frames() {
    }

    /** An HPACK header block for {@code h}, from {@code enc} (whose dynamic table carries over between calls). */
    public static byte[] block(DefaultHttp2HeadersEncoder enc, Http2Headers h) throws Http2Exception {
        ByteBuf out = Unpooled.buffer();
        enc.encodeHeaders(1, h, out);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }

    /** One frame (RFC 9113 §4.1): 24-bit length, type, flags, 31-bit stream id, payload. */
    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >> 16);
        f[1] = (byte) (payload.length >> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >> 24);
        f[6] = (byte) (stream >> 16);
        f[7] = (byte) (stream >> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }
}
