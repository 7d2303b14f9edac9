package io.mcpwarden.pipeline.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes {@code Content-Encoding: gzip / deflate} on a captured body prefix so JSON-RPC inside compressed
 * bodies is read too (RFC 9110 §8.4.1). Bounded output; a truncated or corrupt stream yields what inflated.
 */
final class BodyDecoder {
    private BodyDecoder() {
    }

    /** True when {@link #decode} may return something other than the body itself for this encoding. */
    static boolean transforms(String contentEncoding) {
        if (contentEncoding == null) {
            return false;
        }
        String ce = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return ce.equals("gzip") || ce.equals("x-gzip") || ce.equals("deflate");
    }

    /** The decoded body, or {@code body} itself when it is not compressed in a way handled here. */
    static byte[] decode(byte[] body, String contentEncoding, int cap) {
        if (contentEncoding == null || body.length == 0) {
            return body;
        }
        String ce = contentEncoding.trim().toLowerCase(Locale.ROOT);
        try {
            InputStream in;
            if (ce.equals("gzip") || ce.equals("x-gzip")) {
                in = new GZIPInputStream(new ByteArrayInputStream(body));
            } else if (ce.equals("deflate")) {
                boolean zlib = body.length > 1 && (body[0] & 0x0f) == 8 && ((body[0] & 0xff) << 8 | (body[1] & 0xff)) % 31 == 0;
                in = new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(!zlib));
            } else {
                return body;
            }
            try (in) {
                return readBounded(in, cap);
            }
        } catch (IOException notCompressed) {
            return body;
        }
    }

    private static byte[] readBounded(InputStream in, int cap) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.min(cap, 8192));
        byte[] buf = new byte[8192];
        try {
            int n;
            while (out.size() < cap && (n = in.read(buf, 0, Math.min(buf.length, cap - out.size()))) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException truncated) {
            // keep what inflated before the damage
        }
        return out.toByteArray();
    }
}
