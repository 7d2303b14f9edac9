package io.mcpwarden.dissect.dns;

/**
 * Domain-name decoding with message compression (RFC 1035 §3.1, §4.1.4), bounded and loop-safe.
 *
 * <p>Loop guard: every compression pointer must point strictly before the start of the label run that
 * contains it (the name's own start for the first pointer, the previous target afterwards). Targets thus
 * strictly decrease and decoding always ends; {@link #MAX_POINTER_JUMPS} is a second, independent cap.
 */
final class DnsNames {
    /** RFC 1035 §2.3.4: names are at most 255 octets in wire form. */
    static final int MAX_NAME_WIRE_LENGTH = 255;
    /** RFC 1035 §2.3.4: labels are at most 63 octets. */
    static final int MAX_LABEL_LENGTH = 63;
    /** Cap on compression jumps per name (the backward rule alone already bounds them). */
    static final int MAX_POINTER_JUMPS = 64;

    /** Marker for "end of the in-place encoding unknown": the caller cannot continue after this name. */
    static final int END_UNKNOWN = -1;

    /**
     * A decoded name.
     *
     * @param text     presentation text, partial when {@code anomaly} is set
     * @param end      absolute offset just past the name's in-place encoding, or {@link #END_UNKNOWN}
     * @param anomaly  null when the name is valid, else a {@link DnsAnomaly} name
     */
    record Name(String text, int end, String anomaly) {
        boolean ok() {
            return anomaly == null;
        }
    }

    private DnsNames() {
    }

    /**
     * Reads the name at {@code pos}.
     *
     * @param msgOff absolute offset of the DNS header: compression offsets are relative to it
     * @param msgEnd absolute end of the message data; pointer targets must lie before it
     * @param pos    absolute offset of the name
     * @param limit  absolute end for the in-place part (an RDATA end or {@code msgEnd})
     */
    static Name read(byte[] buf, int msgOff, int msgEnd, int pos, int limit) {
        StringBuilder sb = new StringBuilder(32);
        int wireLen = 0;
        int p = pos;
        int curLimit = limit;
        int runStart = pos;
        int end = END_UNKNOWN;
        int jumps = 0;
        while (true) {
            if (p >= curLimit) {
                return fail(sb, end, curLimit >= msgEnd ? DnsAnomaly.INCOMPLETE : DnsAnomaly.RDATA_INVALID);
            }
            int b = buf[p] & 0xff;
            if (b == 0) {
                if (end == END_UNKNOWN) {
                    end = p + 1;
                }
                return new Name(sb.length() == 0 ? "." : sb.toString(), end, null);
            }
            int kind = b & 0xC0;
            if (kind == 0xC0) {
                // RFC 1035 §4.1.4: 14-bit offset from the start of the message.
                if (p + 1 >= curLimit) {
                    return fail(sb, end, curLimit >= msgEnd ? DnsAnomaly.INCOMPLETE : DnsAnomaly.RDATA_INVALID);
                }
                int target = msgOff + (((b & 0x3f) << 8) | (buf[p + 1] & 0xff));
                if (end == END_UNKNOWN) {
                    end = p + 2;
                }
                if (target >= msgEnd) {
                    return fail(sb, end, DnsAnomaly.POINTER_OUT_OF_RANGE);
                }
                if (target > p) {
                    return fail(sb, end, DnsAnomaly.FORWARD_POINTER);
                }
                if (target >= runStart || ++jumps > MAX_POINTER_JUMPS) {
                    return fail(sb, end, DnsAnomaly.LABEL_LOOP);
                }
                runStart = target;
                p = target;
                curLimit = msgEnd;
                continue;
            }
            if (kind != 0) {
                // 0x40 / 0x80: RFC 6891 §5 deprecates extended label types; the length would exceed 63.
                return fail(sb, end, DnsAnomaly.LABEL_TOO_LONG);
            }
            wireLen += 1 + b;
            if (wireLen + 1 > MAX_NAME_WIRE_LENGTH) {
                return fail(sb, end, DnsAnomaly.NAME_TOO_LONG);
            }
            if (b > curLimit - p - 1) {
                return fail(sb, end, curLimit >= msgEnd ? DnsAnomaly.INCOMPLETE : DnsAnomaly.RDATA_INVALID);
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            appendLabel(sb, buf, p + 1, b);
            p += 1 + b;
        }
    }

    private static Name fail(StringBuilder sb, int end, String anomaly) {
        return new Name(sb.toString(), end, anomaly);
    }

    /**
     * Finds the end of the in-place encoding of the name at {@code pos} without decoding it.
     *
     * @return the end offset, or {@link #END_UNKNOWN} when the name runs past {@code limit} or has a bad label
     */
    static int skip(byte[] buf, int pos, int limit) {
        int p = pos;
        int wireLen = 0;
        while (p < limit) {
            int b = buf[p] & 0xff;
            if (b == 0) {
                return p + 1;
            }
            if ((b & 0xC0) == 0xC0) {
                return p + 1 < limit ? p + 2 : END_UNKNOWN;
            }
            if ((b & 0xC0) != 0) {
                return END_UNKNOWN;
            }
            wireLen += 1 + b;
            if (wireLen + 1 > MAX_NAME_WIRE_LENGTH) {
                return END_UNKNOWN;
            }
            p += 1 + b;
        }
        return END_UNKNOWN;
    }

    /**
     * Appends one label in zone-file presentation (RFC 1035 §5.1, RFC 4343 §2.1): '.' and '\' are
     * backslash-escaped, bytes outside 0x21..0x7E become {@code \DDD} (three decimal digits).
     */
    static void appendLabel(StringBuilder sb, byte[] buf, int from, int len) {
        for (int i = from; i < from + len; i++) {
            int c = buf[i] & 0xff;
            if (c == '.' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c < 0x21 || c > 0x7e) {
                appendDecimalEscape(sb, c);
            } else {
                sb.append((char) c);
            }
        }
    }

    static void appendDecimalEscape(StringBuilder sb, int c) {
        sb.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + (c / 10) % 10))
                .append((char) ('0' + c % 10));
    }
}
