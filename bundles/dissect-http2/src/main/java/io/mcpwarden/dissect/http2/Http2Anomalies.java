package io.mcpwarden.dissect.http2;

/** Stable anomaly names of the HTTP/2 dissector. */
public final class Http2Anomalies {
    /** The client's connection preface is not "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n". */
    public static final String BAD_PREFACE = "http2.bad_preface";
    /** A frame longer than {@link Http2Connection#MAX_FRAME}: its payload is skipped. */
    public static final String FRAME_TOO_LARGE = "http2.frame_too_large";
    /** A header block longer than {@link Http2Connection#MAX_HEADER_BLOCK}: the direction stops. */
    public static final String HEADER_BLOCK_TOO_LARGE = "http2.header_block_too_large";
    /** HPACK decoding failed: the direction stops (its dynamic table is lost). */
    public static final String HPACK_ERROR = "http2.hpack_error";
    /** Frame fields that contradict RFC 9113 (padding longer than the frame, CONTINUATION out of place). */
    public static final String PROTOCOL_ERROR = "http2.protocol_error";
    /** Bytes of the TCP stream were lost: the direction stops. */
    public static final String GAP = "http2.gap";

    private Http2Anomalies() {
    }
}
