package io.mcpwarden.dissect.http;

import java.util.Arrays;

/**
 * End of one message, reported once after each request or response head.
 *
 * @param complete      true when the message ended as its framing says (RFC 9112 §6.3); false
 *                      when the stream ended, had a gap or failed first
 * @param bodyBytes     number of decoded body bytes seen (after de-chunking)
 * @param bodyPrefix    the first {@code bodyCap} decoded body bytes (a copy)
 * @param bodyTruncated true when the body was longer than {@code bodyCap}
 * @param sseEvents     number of Server-Sent Events dispatched from this message's body
 */
public record HttpMessageEnd(boolean complete, long bodyBytes, byte[] bodyPrefix, boolean bodyTruncated,
                             int sseEvents) {
    public HttpMessageEnd {
        bodyPrefix = bodyPrefix == null ? new byte[0] : bodyPrefix.clone();
    }

    /** A copy of the body prefix. */
    @Override
    public byte[] bodyPrefix() {
        return bodyPrefix.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpMessageEnd m && complete == m.complete && bodyBytes == m.bodyBytes
                && bodyTruncated == m.bodyTruncated && sseEvents == m.sseEvents
                && Arrays.equals(bodyPrefix, m.bodyPrefix);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(complete) * 31 * 31 * 31 + Long.hashCode(bodyBytes) * 31 * 31
                + Arrays.hashCode(bodyPrefix) * 31 + sseEvents * 2 + (bodyTruncated ? 1 : 0);
    }

    @Override
    public String toString() {
        return "HttpMessageEnd[complete=" + complete + ", bodyBytes=" + bodyBytes + ", bodyPrefix="
                + bodyPrefix.length + " bytes, bodyTruncated=" + bodyTruncated + ", sseEvents=" + sseEvents + "]";
    }
}
