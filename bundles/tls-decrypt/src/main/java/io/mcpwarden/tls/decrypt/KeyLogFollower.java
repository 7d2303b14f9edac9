package io.mcpwarden.tls.decrypt;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Follows a key log file that clients append to while a live capture runs (SSLKEYLOGFILE of browsers, curl,
 * Node.js), adding each complete new line to a {@link KeyLog}: {@link KeyLog#follow} with this as refresher, so
 * a connection whose secrets are not there yet reads what was written since.
 *
 * <p>Each call costs one {@code fstat} when nothing was added. A file that shrank (truncated) is read again from
 * its start; one replaced by another (rotation: a different file key, checked at most once a second) is reopened.
 * At most {@link #MAX_READ} bytes are read per call. A missing or unreadable file is not an error: it is tried
 * again later, and {@link #lastFailure} says why it was not read. Thread-safe.
 */
public final class KeyLogFollower implements Runnable, Closeable {
    /** Bytes read at most per call. */
    static final int MAX_READ = 4 << 20;
    private static final long REOPEN_CHECK_NANOS = 1_000_000_000L;

    private final Path file;
    private final KeyLog into;
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private long lastCheck;
    private final StringBuilder partial = new StringBuilder();
    private long secrets;
    private long malformed;
    private IOException failure;
    private boolean closed;

    /** Follows {@code file} from its start into {@code into}; call {@link #run} to read what is there. */
    public KeyLogFollower(Path file, KeyLog into) {
        this.file = Objects.requireNonNull(file);
        this.into = Objects.requireNonNull(into);
    }

    /** Reads the lines added since the last call (at most {@link #MAX_READ} bytes). */
    @Override
    public synchronized void run() {
        refresh();
    }

    /** Reads everything the file holds now (the start of a capture); {@link #lastFailure} says if it could not. */
    public synchronized void catchUp() {
        while (refresh() == MAX_READ) {
            // a big file: the next part
        }
    }

    /** @return bytes read */
    private int refresh() {
        if (closed) {
            return 0;
        }
        try {
            long now = System.nanoTime();
            if (channel == null || now - lastCheck > REOPEN_CHECK_NANOS) {
                lastCheck = now;
                reopenIfReplaced();
            }
            if (channel == null) {
                return 0;
            }
            long size = channel.size();
            if (size < position) { // truncated: read it again from the start
                position = 0;
                partial.setLength(0);
            }
            if (size == position) {
                failure = null;
                return 0;
            }
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(size - position, MAX_READ));
            while (b.hasRemaining()) {
                if (channel.read(b, position + b.position()) < 0) {
                    break;
                }
            }
            position += b.position();
            partial.append(new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1));
            int lastNewline = partial.lastIndexOf("\n");
            if (lastNewline >= 0) {
                KeyLogReport r = KeyLogParser.parse(partial.substring(0, lastNewline + 1), into);
                partial.delete(0, lastNewline + 1);
                secrets += r.secrets();
                malformed += r.malformed();
            }
            if (partial.length() > KeyLogParser.MAX_LINE) { // no key log line is this long: drop it
                partial.setLength(0);
                malformed++;
            }
            failure = null;
            return b.position();
        } catch (IOException e) {
            failure = e;
            closeChannel();
            return 0;
        } catch (RuntimeException e) { // never thrown into the decryptor that asked
            failure = new IOException(e.toString(), e);
            closeChannel();
            return 0;
        }
    }

    private void reopenIfReplaced() throws IOException {
        Object key;
        try {
            key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            failure = e;
            return; // keep reading the open file, if any: it may have been renamed away with more to come
        }
        if (channel != null && Objects.equals(key, fileKey)) {
            return;
        }
        closeChannel();
        channel = FileChannel.open(file, StandardOpenOption.READ);
        fileKey = key;
        position = 0;
        partial.setLength(0);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to read from it either way
            }
            channel = null;
        }
    }

    /** @return secrets read so far (as the parser counts them) */
    public synchronized long secrets() {
        return secrets;
    }

    /** @return malformed lines skipped so far */
    public synchronized long malformed() {
        return malformed;
    }

    /** @return why the file could not be read at the last attempt ("not found", or the error's message), or null */
    public synchronized String lastError() {
        return failure == null ? null : failure instanceof NoSuchFileException ? "not found"
                : String.valueOf(failure.getMessage());
    }

    /** @return the error of the last attempt to read the file, or null */
    public synchronized IOException lastFailure() {
        return failure;
    }

    /** @return {@code key log NAME (followed, 12 secrets[, 1 malformed line skipped])}, for a summary line */
    public synchronized String describe() {
        return "key log " + file.getFileName() + " (followed, " + secrets + (secrets == 1 ? " secret" : " secrets")
                + (malformed == 0 ? "" : ", " + malformed + (malformed == 1 ? " malformed line" : " malformed lines")
                + " skipped") + ")";
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeChannel();
    }
}
