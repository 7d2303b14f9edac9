package io.mcpwarden.pipeline.internal;

/**
 * Watches the first bytes of one message body to tell early that it cannot hold JSON-RPC, so that the HTTP
 * parser need not keep it: the same test as {@link io.mcpwarden.mcp.JsonRpcReader#looksLikeJson} (the first
 * non-blank byte among the first 64 is {@code {} or {@code [}), applied as the bytes arrive. Bodies that
 * {@link BodyDecoder} would inflate are not judged.
 */
final class BodySniff {
    private static final int WINDOW = 64;

    private boolean deciding;
    private int seen;

    /** A new body starts, sent with this {@code Content-Encoding} (or null). */
    void start(String contentEncoding) {
        deciding = !BodyDecoder.transforms(contentEncoding);
        seen = 0;
    }

    /** No judgement for the current body. */
    void stop() {
        deciding = false;
    }

    /** True exactly once, on the bytes that show the body is not JSON. */
    boolean notJson(byte[] b, int off, int len) {
        if (!deciding) {
            return false;
        }
        int end = off + len;
        for (int i = off; i < end && seen < WINDOW; i++, seen++) {
            byte c = b[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || isBom(c, seen)) {
                continue;
            }
            deciding = false;
            return c != '{' && c != '[';
        }
        if (seen >= WINDOW) {
            deciding = false;
            return true;
        }
        return false;
    }

    /** A byte of a UTF-8 byte-order mark at the start of the body (RFC 8259 §8.1 lets parsers ignore it). */
    private static boolean isBom(byte c, int position) {
        return position == 0 && c == (byte) 0xEF || position == 1 && c == (byte) 0xBB
                || position == 2 && c == (byte) 0xBF;
    }
}
