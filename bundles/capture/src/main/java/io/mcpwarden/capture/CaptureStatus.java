package io.mcpwarden.capture;

/**
 * How a source ended.
 *
 * @param state   {@code ok}, {@code truncated} (damage after good data: processed up to it) or {@code not-a-capture}
 * @param offset  file offset of the damage (-1 when none)
 * @param message one-line human-readable reason, null when ok
 */
public record CaptureStatus(String state, long offset, String message) {
    public static final CaptureStatus OK = new CaptureStatus("ok", -1, null);

    public boolean ok() {
        return "ok".equals(state);
    }
}
