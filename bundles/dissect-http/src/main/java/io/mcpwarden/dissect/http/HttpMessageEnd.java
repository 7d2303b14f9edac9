package io.mcpwarden.dissect.http;

import java.util.Arrays;

/**
 * End of one message, reported once after each request or response head. A value: equal when every
 * component is.
 *
 * <p>Components: {@code complete} is true when the message ended as its framing says (RFC 9112 §6.3), false
 * when the stream ended, had a gap or failed first; {@code bodyBytes} is the number of decoded body bytes seen
 * (after de-chunking); {@code bodyPrefix} the first {@code bodyCap} decoded body bytes; {@code bodyTruncated}
 * is true when the body was longer than {@code bodyCap}; {@code sseEvents} the number of Server-Sent Events
 * dispatched from this message's body.
 */
public final class HttpMessageEnd {
    private final boolean complete;
    private final long bodyBytes;
    private final byte[] prefix;
    private final int prefixLen;
    private final boolean bodyTruncated;
    private final int sseEvents;

    /** @param bodyPrefix copied */
    public HttpMessageEnd(boolean complete, long bodyBytes, byte[] bodyPrefix, boolean bodyTruncated,
                          int sseEvents) {
        this(complete, bodyBytes, bodyPrefix == null ? new byte[0] : bodyPrefix.clone(),
                bodyPrefix == null ? 0 : bodyPrefix.length, bodyTruncated, sseEvents);
    }

    /** Takes {@code prefix[0 .. prefixLen)} as it is: the caller hands the array over. */
    HttpMessageEnd(boolean complete, long bodyBytes, byte[] prefix, int prefixLen, boolean bodyTruncated,
                   int sseEvents) {
        this.complete = complete;
        this.bodyBytes = bodyBytes;
        this.prefix = prefix;
        this.prefixLen = prefixLen;
        this.bodyTruncated = bodyTruncated;
        this.sseEvents = sseEvents;
    }

    public boolean complete() {
        return complete;
    }

    public long bodyBytes() {
        return bodyBytes;
    }

    /** A copy of the body prefix. */
    public byte[] bodyPrefix() {
        return Arrays.copyOf(prefix, prefixLen);
    }

    /** Length of the body prefix. */
    public int bodyPrefixLength() {
        return prefixLen;
    }

    /**
     * The body prefix without a copy: bytes {@code 0 .. bodyPrefixLength()-1} of the returned array (which may
     * be longer). Read it only; it is this message's own.
     */
    public byte[] bodyPrefixArray() {
        return prefix;
    }

    public boolean bodyTruncated() {
        return bodyTruncated;
    }

    public int sseEvents() {
        return sseEvents;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpMessageEnd m && complete == m.complete && bodyBytes == m.bodyBytes
                && bodyTruncated == m.bodyTruncated && sseEvents == m.sseEvents
                && Arrays.equals(prefix, 0, prefixLen, m.prefix, 0, m.prefixLen);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < prefixLen; i++) {
            h = 31 * h + prefix[i];
        }
        return Boolean.hashCode(complete) * 31 * 31 * 31 + Long.hashCode(bodyBytes) * 31 * 31
                + h * 31 + sseEvents * 2 + (bodyTruncated ? 1 : 0);
    }

    @Override
    public String toString() {
        return "HttpMessageEnd[complete=" + complete + ", bodyBytes=" + bodyBytes + ", bodyPrefix="
                + prefixLen + " bytes, bodyTruncated=" + bodyTruncated + ", sseEvents=" + sseEvents + "]";
    }
}
