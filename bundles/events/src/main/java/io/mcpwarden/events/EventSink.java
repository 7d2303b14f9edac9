package io.mcpwarden.events;

import io.mcpwarden.model.WardenEvent;

/** Receives events in the order the pipeline produces them. Implementations must not throw on accept. */
public interface EventSink extends AutoCloseable {

    void accept(WardenEvent event);

    /** Pushes buffered events to their destination. */
    default void flush() {
    }

    @Override
    default void close() {
        flush();
    }
}
