package io.mcpwarden.dissect.http;

/**
 * Stable anomaly names reported through {@link HttpListener#onAnomaly}. They become event fields
 * and rule keywords: never rename one.
 */
public final class HttpAnomalies {
    private HttpAnomalies() {
    }

    /** Request line is not {@code method SP target SP HTTP/1.x} (RFC 9112 §3). Parsing stops. */
    public static final String INVALID_REQUEST_LINE = "http.invalid_request_line";
    /** Status line is not {@code HTTP/1.x SP 3DIGIT [SP reason]} (RFC 9112 §4). Parsing stops. */
    public static final String INVALID_STATUS_LINE = "http.invalid_status_line";
    /** Header section longer than {@link HttpStreamParser#HEADER_SECTION_CAP}. Parsing stops. */
    public static final String HEADER_TOO_LONG = "http.header_too_long";
    /** More than {@link HttpStreamParser#HEADER_COUNT_CAP} header lines. Parsing stops. */
    public static final String TOO_MANY_HEADERS = "http.too_many_headers";
    /** Field line without colon, with an invalid name or whitespace before the colon (RFC 9112 §5.1); skipped. */
    public static final String INVALID_HEADER = "http.invalid_header";
    /** CR, NUL or other control byte inside a field value (RFC 9110 §5.5); replaced with SP. */
    public static final String INVALID_HEADER_VALUE = "http.invalid_header_value";
    /** Obsolete line folding (RFC 9112 §5.2); unfolded with SP. */
    public static final String OBS_FOLD = "http.obs_fold";
    /** Content-Length is not a decimal number of at most 18 digits (RFC 9110 §8.6). Parsing stops. */
    public static final String INVALID_CONTENT_LENGTH = "http.invalid_content_length";
    /** Several different Content-Length values (RFC 9112 §6.3). Parsing stops. */
    public static final String CONFLICTING_CONTENT_LENGTH = "http.conflicting_content_length";
    /** Both Transfer-Encoding and Content-Length (RFC 9112 §6.1, smuggling indicator); Transfer-Encoding wins. */
    public static final String TE_AND_CL = "http.te_and_cl";
    /** Request Transfer-Encoding whose final coding is not chunked, or Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1, §6.3). Parsing stops. */
    public static final String INVALID_TRANSFER_ENCODING = "http.invalid_transfer_encoding";
    /** Chunk size line without hex digits or with bad characters (RFC 9112 §7.1). Parsing stops. */
    public static final String INVALID_CHUNK_SIZE = "http.invalid_chunk_size";
    /** Chunk size with more than {@link HttpStreamParser#CHUNK_SIZE_MAX_HEX_DIGITS} hex digits. Parsing stops. */
    public static final String CHUNK_SIZE_TOO_LARGE = "http.chunk_size_too_large";
    /** Chunk size line (with extensions) longer than {@link HttpStreamParser#CHUNK_LINE_CAP}. Parsing stops. */
    public static final String CHUNK_LINE_TOO_LONG = "http.chunk_line_too_long";
    /** Chunk data not followed by CRLF (RFC 9112 §7.1). Parsing stops. */
    public static final String INVALID_CHUNK_TERMINATOR = "http.invalid_chunk_terminator";
    /** Trailer section longer than {@link HttpStreamParser#HEADER_SECTION_CAP} or too many lines. Parsing stops. */
    public static final String TRAILER_TOO_LONG = "http.trailer_too_long";
    /** Bytes after a message that carried {@code Connection: close} (RFC 9112 §9.6); ignored. */
    public static final String DATA_AFTER_CLOSE = "http.data_after_close";
    /** More than {@link HttpStreamParser#PENDING_REQUESTS_CAP} requests awaiting a response; the newest is dropped. */
    public static final String TOO_MANY_PENDING_REQUESTS = "http.too_many_pending_requests";
    /** The stream ended inside a header section. */
    public static final String TRUNCATED_HEAD = "http.truncated_head";
    /** An SSE event or line exceeded {@link HttpStreamParser#SSE_EVENT_DATA_CAP}; the event is discarded. */
    public static final String SSE_EVENT_TOO_LARGE = "http.sse_event_too_large";
}
