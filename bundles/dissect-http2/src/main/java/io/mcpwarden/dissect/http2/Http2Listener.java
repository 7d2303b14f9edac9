package io.mcpwarden.dissect.http2;

import io.mcpwarden.dissect.http.HttpHeader;

import java.util.List;

/** Receives what an {@link Http2Connection} reads, in wire order per direction. */
public interface Http2Listener {

    /**
     * A complete header block (HEADERS + CONTINUATION) of a stream: request headers (from the client),
     * response headers (from the server), or trailers. Pseudo-header fields ({@code :method}, {@code :path},
     * {@code :authority}, {@code :status}, ...) come first, as sent.
     */
    void onHeaders(int streamId, boolean fromClient, List<HttpHeader> headers, boolean endStream);

    /** DATA of a stream, padding removed. The array is reused after the call returns. */
    void onData(int streamId, boolean fromClient, byte[] buf, int off, int len, boolean endStream);

    /** RST_STREAM: the stream ends abnormally. */
    void onReset(int streamId);

    /** Something unexpected; names in {@link Http2Anomalies}. */
    void onAnomaly(String name);
}
