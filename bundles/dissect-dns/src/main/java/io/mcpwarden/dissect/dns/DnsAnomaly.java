package io.mcpwarden.dissect.dns;

/**
 * Stable anomaly names reported in {@link DnsParse#anomalies()}. They become event fields and rule inputs:
 * never rename one.
 */
public final class DnsAnomaly {
    /** The data ended before the header or a section announced by the header was complete. */
    public static final String INCOMPLETE = "dns.incomplete";
    /** A compression pointer does not point strictly before the labels being read, or too many jumps. */
    public static final String LABEL_LOOP = "dns.label_loop";
    /** A compression pointer points past itself (RFC 1035 §4.1.4 allows prior occurrences only). */
    public static final String FORWARD_POINTER = "dns.forward_pointer";
    /** A compression pointer points outside the message. */
    public static final String POINTER_OUT_OF_RANGE = "dns.pointer_out_of_range";
    /** A label length byte of 0x40..0xBF (longer than 63, or an obsolete extended label type). */
    public static final String LABEL_TOO_LONG = "dns.label_too_long";
    /** A name longer than 255 octets in wire form (RFC 1035 §2.3.4). */
    public static final String NAME_TOO_LONG = "dns.name_too_long";
    /** RDATA whose length or structure does not fit its type; presented in RFC 3597 generic form. */
    public static final String RDATA_INVALID = "dns.rdata_invalid";
    /** More questions or records than the dissector keeps; the rest were not parsed. */
    public static final String TOO_MANY_RECORDS = "dns.too_many_records";
    /** Bytes left after the last section announced by the header. */
    public static final String TRAILING_DATA = "dns.trailing_data";
    /** DNS over TCP: a zero length prefix (RFC 7766 §8 messages are never empty). */
    public static final String TCP_ZERO_LENGTH = "dns.tcp_zero_length";
    /** DNS over TCP: after a gap, the next data did not start with a plausible length-prefixed message. */
    public static final String TCP_RESYNC_FAILED = "dns.tcp_resync_failed";

    private DnsAnomaly() {
    }
}
