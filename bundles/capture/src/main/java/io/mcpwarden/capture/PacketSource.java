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

    /** Bytes consumed so far (for progress); -1 when unknown (the default: live and in-memory sources). */
    default long position() {
        return -1;
    }

    /** Total size in bytes (for progress); -1 when unknown (the default: live and in-memory sources). */
    default long size() {
        return -1;
    }

    @Override
    void close() throws IOException;

    /**
     * Asks to be told about decryption secrets the source carries (pcapng Decryption Secrets Blocks, block type
     * 0x0000000A): {@code listener} gets the secrets type (e.g. {@link #SECRETS_TLS_KEY_LOG}) and the secrets data,
     * on the reading thread, before the packets that follow the block. Sources without secrets ignore this.
     */
    default void onDecryptionSecrets(java.util.function.ObjIntConsumer<byte[]> listener) {
    }

    /**
     * Asks to be called about once a second on the reading thread, from inside {@link #next}, also while no packet
     * arrives, so that the reader can write out what it holds (events of a slow or quiet link, of a rule reload).
     * Live sources do; files never wait for packets and ignore this.
     */
    default void onTick(Runnable tick) {
    }

    /** pcapng Decryption Secrets Block type "TLSK": an NSS key log (SSLKEYLOGFILE text). */
    int SECRETS_TLS_KEY_LOG = 0x544c534b;
}
