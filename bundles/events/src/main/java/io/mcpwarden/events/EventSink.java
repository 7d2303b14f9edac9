package io.mcpwarden.events;

import io.mcpwarden.model.WardenEvent;

/** Receives events in the order the pipeline produces them. Implementations must not throw on accept. */
public interface EventSink extends AutoCloseable {

    void accept(WardenEvent event);

    /** Pushes buffered events to their destination (at the end of a source: everything, waiting if need be). */
    default void flush() {
    }

    /**
     * Pushes out what can go now without waiting: called about once a second while a source is read, so that a
     * slow or quiet live link still shows its events. The default is {@link #flush()}; a sink that holds events
     * for something not ready yet (e.g. rules still compiling) lets them wait for the final {@link #flush()}.
     */
    default void tick() {
        flush();
    }

    @Override
    default void close() {
        flush();
    }
}
