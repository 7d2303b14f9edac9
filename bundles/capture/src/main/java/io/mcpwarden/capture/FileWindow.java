package io.mcpwarden.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A reusable read window over a capture file: positional reads from a {@link FileChannel} into one heap buffer,
 * so that record headers and frames are read by absolute file offset without per-record allocation.
 */
final class FileWindow implements Closeable {
    /** Size of the read window; the largest span {@link #require} can serve. */
    static final int WINDOW_BYTES = 4 << 20;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buf;
    private final byte[] array;
    /** File offset of buf index 0. */
    private long start;
    /** Valid bytes in buf. */
    private int valid;

    FileWindow(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        long s;
        try {
            s = channel.size();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.size = s;
        int cap = (int) Math.min(WINDOW_BYTES, Math.max(4096, s));
        this.buf = ByteBuffer.allocate(cap);
        this.array = buf.array();
    }

    long size() {
        return size;
    }

    byte[] array() {
        return array;
    }

    void order(ByteOrder order) {
        buf.order(order);
    }

    ByteOrder order() {
        return buf.order();
    }

    int getInt(int index) {
        return buf.getInt(index);
    }

    long getUInt(int index) {
        return buf.getInt(index) & 0xFFFFFFFFL;
    }

    int getUShort(int index) {
        return buf.getShort(index) & 0xFFFF;
    }

    long getLong(int index) {
        return buf.getLong(index);
    }

    /** Raw big-endian int regardless of the current order (for magics). */
    int getIntBE(int index) {
        return ((array[index] & 0xFF) << 24) | ((array[index + 1] & 0xFF) << 16)
                | ((array[index + 2] & 0xFF) << 8) | (array[index + 3] & 0xFF);
    }

    /**
     * Makes {@code n} bytes from file offset {@code at} available in the window.
     *
     * @return the window index of {@code at}, or -1 when the file ends before {@code at + n} (or n is too large)
     */
    int require(long at, int n) throws IOException {
        if (n < 0 || n > buf.capacity() || at < 0 || at + n > size) {
            return -1;
        }
        if (at >= start && at + n <= start + valid) {
            return (int) (at - start);
        }
        if (at >= start && at < start + valid) {
            int keep = (int) (start + valid - at);
            System.arraycopy(array, (int) (at - start), array, 0, keep);
            valid = keep;
        } else {
            valid = 0;
        }
        start = at;
        while (valid < n) {
            ByteBuffer dup = buf.duplicate();
            dup.clear();
            dup.position(valid);
            int r = channel.read(dup, start + valid);
            if (r < 0) {
                return -1;
            }
            valid += r;
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
