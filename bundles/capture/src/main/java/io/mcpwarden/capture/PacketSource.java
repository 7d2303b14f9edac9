package io.mcpwarden.capture;

import java.io.IOException;

/** A stream of captured frames: a capture file or a live interface. Not thread-safe. */
public interface PacketSource extends AutoCloseable {

    /**
     * Reads the next frame into {@code into}.
     *
     * @return false at the end of the source (end of file, damage that stops reading, or a stopped live capture)
     * @throws IOException only for I/O failures of the medium; damaged content ends the source and is
     *                     reported by {@link #status()}
     */
    boolean next(PacketRecord into) throws IOException;

    /** How the source ended (or {@link CaptureStatus#OK} while it is still running). */
    CaptureStatus status();

    /** Bytes consumed so far (for progress); -1 when unknown. */
    long position();

    /** Total size in bytes (for progress); -1 when unknown (live). */
    long size();

    @Override
    void close() throws IOException;
}
