package io.mcpwarden.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpwarden.events.internal.EveFields;
import io.mcpwarden.model.WardenEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes events as Suricata-EVE-style JSON lines (one object per line, UTF-8). The field names are defined
 * once, in {@link EveFields}. Thread-safe; counts the events written per {@code event_type}.
 *
 * <p>Events are encoded by one generator into an internal buffer that goes to the stream in chunks.
 */
public final class EveJsonSink implements EventSink {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** Encoded bytes collected before they are written to the stream (as often as the generator would). */
    private static final int CHUNK = 8192;

    private final OutputStream out;
    private final boolean closeStream;
    private final Bytes pending = new Bytes(CHUNK + 8192);
    private final JsonGenerator gen;
    private final EveFields.Scratch scratch = new EveFields.Scratch();
    private final Map<String, long[]> counts = new HashMap<>();
    private String lastType;
    private long[] lastCount;
    private IOException failure;

    /**
     * @param out         destination; buffered internally
     * @param closeStream whether {@link #close()} closes {@code out} (false for stdout)
     */
    public EveJsonSink(OutputStream out, boolean closeStream) {
        this.out = out;
        this.closeStream = closeStream;
        this.gen = newGenerator(pending);
    }

    private static JsonGenerator newGenerator(OutputStream os) {
        JsonGenerator g;
        try {
            g = FACTORY.createGenerator(os);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.setRootValueSeparator(null);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    /** Serialises one event to a JSON line (without the newline); for tests and other transports. */
    public static String toJson(WardenEvent event) {
        java.io.StringWriter w = new java.io.StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            EveFields.write(g, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    @Override
    public synchronized void accept(WardenEvent event) {
        if (failure != null) {
            return;
        }
        try {
            EveFields.write(gen, event, scratch);
            gen.writeRaw('\n');
        } catch (IOException e) {
            failure = e;
            return;
        }
        written(event);
    }

    /** Counts the event and passes full chunks on to the stream; under the lock. */
    private void written(WardenEvent event) {
        String type = event.eventType();
        long[] c = lastCount;
        if (type != lastType) {
            c = counts.get(type);
            if (c == null) {
                c = new long[1];
                counts.put(type, c);
            }
            lastType = type;
            lastCount = c;
        }
        c[0]++;
        if (pending.size >= CHUNK) {
            try {
                drain();
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private void drain() throws IOException {
        gen.flush();
        if (pending.size > 0) {
            int n = pending.size;
            pending.size = 0;
            out.write(pending.buf, 0, n);
        }
    }

    @Override
    public synchronized void flush() {
        try {
            drain();
            out.flush();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** Events written so far, per event type. */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> m = new HashMap<>();
        counts.forEach((k, v) -> m.put(k, v[0]));
        return Map.copyOf(m);
    }

    /** The first write failure (disk full, closed pipe), or null. Events after it are not written. */
    public synchronized IOException failure() {
        return failure;
    }

    @Override
    public synchronized void close() {
        flush();
        try {
            gen.close();
            if (closeStream) {
                out.close();
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** A growable byte buffer; flushing it does nothing. */
    private static final class Bytes extends OutputStream {
        byte[] buf;
        int size;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        @Override
        public void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len > buf.length - size) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }
    }
}
