package io.mcpwarden.capture;

import java.io.IOException;

/** The file is not a capture this appliance can read (bad magic, unknown format); carries the file offset. */
public class CaptureFormatException extends IOException {
    private final long offset;

    public CaptureFormatException(String message, long offset) {
        super(message + " (at file offset " + offset + ")");
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
