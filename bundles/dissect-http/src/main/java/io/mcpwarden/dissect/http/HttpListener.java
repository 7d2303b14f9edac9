package io.mcpwarden.dissect.http;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what a {@link HttpStreamParser} finds. Every method defaults to doing nothing.
 *
 * <p>Order per message: one head, then body bytes (and SSE events) as they arrive, then exactly
 * one {@link #onMessageEnd}. Anomalies may be reported at any point. Calls come from the thread
 * that feeds the parser.
 */
@ConsumerType
public interface HttpListener {
    /** A request line and header section were parsed. */
    default void onRequestHead(HttpRequestHead h) {
    }

    /** A status line and header section were parsed (also for interim 1xx responses). */
    default void onResponseHead(HttpResponseHead h) {
    }

    /**
     * Decoded body bytes (after de-chunking), all of them, even beyond the body cap. The array
     * may be the caller's input buffer: read it only during this call.
     */
    default void onBody(byte[] buf, int off, int len) {
    }

    /** A Server-Sent Event was dispatched from a {@code text/event-stream} response body. */
    default void onSseEvent(SseEvent e) {
    }

    /** The current message ended, completely or not. */
    default void onMessageEnd(HttpMessageEnd end) {
    }

    /** Something unusual or malformed; {@code name} is one of {@link HttpAnomalies}. */
    default void onAnomaly(String name) {
    }
}
