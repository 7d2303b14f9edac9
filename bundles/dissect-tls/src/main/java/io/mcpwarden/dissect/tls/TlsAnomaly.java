package io.mcpwarden.dissect.tls;

/** Stable anomaly names reported in {@link TlsResult#anomalies()}. Event fields and rule inputs: never rename. */
public final class TlsAnomaly {
    /** The first bytes of the direction are not a TLS record header. Dissection stops. */
    public static final String NOT_TLS = "tls.not_tls";
    /** An SSL 2.0-format ClientHello (RFC 6101 appendix E.2 / RFC 5246 appendix E.2). Dissection stops. */
    public static final String SSLV2_HELLO = "tls.sslv2_hello";
    /** A later record header has an unknown content type or version. Dissection stops. */
    public static final String RECORD_HEADER_INVALID = "tls.record_header_invalid";
    /** A record longer than 2^14 + 2048 (RFC 5246 §6.2.3). Dissection stops. */
    public static final String RECORD_TOO_LONG = "tls.record_too_long";
    /** A zero-length handshake record (RFC 8446 §5.1 forbids it). */
    public static final String RECORD_EMPTY = "tls.record_empty";
    /** A handshake message longer than the reassembly cap. Dissection stops. */
    public static final String HANDSHAKE_TOO_LONG = "tls.handshake_too_long";
    /** Another record type arrived in the middle of a fragmented handshake message (RFC 8446 §5.1). */
    public static final String HANDSHAKE_INTERLEAVED = "tls.handshake_interleaved";
    /** The ClientHello's fixed fields do not fit its length: no ClientHello is reported. */
    public static final String CLIENT_HELLO_MALFORMED = "tls.client_hello_malformed";
    /** The ServerHello's fixed fields do not fit its length: no ServerHello is reported. */
    public static final String SERVER_HELLO_MALFORMED = "tls.server_hello_malformed";
    /** The extensions block or one extension is malformed; the hello keeps what was read before it. */
    public static final String EXTENSION_MALFORMED = "tls.extension_malformed";
    /** An extension type occurs twice (RFC 8446 §4.2). */
    public static final String DUPLICATE_EXTENSION = "tls.duplicate_extension";
    /** More entries than a list cap; the rest are not kept. */
    public static final String TOO_MANY_VALUES = "tls.too_many_values";
    /** The SNI has bytes outside printable ASCII or is longer than 255. */
    public static final String SNI_INVALID = "tls.sni_invalid";
    /** Informational: the ServerHello is a HelloRetryRequest (RFC 8446 §4.1.4); a second ClientHello follows. */
    public static final String HELLO_RETRY_REQUEST = "tls.hello_retry_request";
    /** A second hello of the same kind completed in one feed; only the first is returned. */
    public static final String EXTRA_HELLO = "tls.extra_hello";
    /** After {@link TlsDirectionDissector#gap()}, the data did not start with a record header. Dissection stops. */
    public static final String GAP = "tls.gap";

    private TlsAnomaly() {
    }
}
