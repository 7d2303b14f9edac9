package io.mcpwarden.dissect.http;

import java.util.Objects;

/**
 * One dispatched Server-Sent Event (WHATWG HTML §9.2.6).
 *
 * @param event event type; {@code "message"} when the event had no {@code event:} field
 * @param data  the {@code data:} lines joined with {@code \n}
 * @param id    the stream's last event ID at dispatch time, or null when none was set (or it was reset to empty)
 */
public record SseEvent(String event, String data, String id) {
    public SseEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
    }
}
