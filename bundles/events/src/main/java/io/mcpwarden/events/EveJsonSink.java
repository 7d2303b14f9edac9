package io.mcpwarden.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpwarden.events.internal.EveFields;
import io.mcpwarden.model.WardenEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes events as Suricata-EVE-style JSON lines (one object per line, UTF-8). The field names are defined
 * once, in {@link EveFields}. Thread-safe; counts the events written per {@code event_type}.
 */
public final class EveJsonSink implements EventSink {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final OutputStream out;
    private final boolean closeStream;
    private final JsonGenerator gen;
    private final Map<String, Long> counts = new TreeMap<>();
    private IOException failure;

    /**
     * @param out         destination; buffered internally
     * @param closeStream whether {@link #close()} closes {@code out} (false for stdout)
     */
    public EveJsonSink(OutputStream out, boolean closeStream) {
        this.out = out;
        this.closeStream = closeStream;
        try {
            this.gen = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.setRootValueSeparator(null);
        if (!closeStream) {
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        }
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
            EveFields.write(gen, event);
            gen.writeRaw('\n');
            counts.merge(event.eventType(), 1L, Long::sum);
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public synchronized void flush() {
        try {
            gen.flush();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** Events written so far, per event type. */
    public synchronized Map<String, Long> counts() {
        return Map.copyOf(counts);
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
}
