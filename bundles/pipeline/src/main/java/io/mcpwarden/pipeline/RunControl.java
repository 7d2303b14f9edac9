package io.mcpwarden.pipeline;

/** Progress reporting and cooperative stop for a running inspection. */
public interface RunControl {
    RunControl NONE = new RunControl() {
    };

    /**
     * Called about every 250 ms of work with packets, bytes and source position so far (flows and events are
     * counted at the end), and once at the end with the whole summary.
     */
    default void progress(InspectionSummary soFar) {
    }

    /** Polled every 1,024 packets; true ends the run (flows are still flushed). */
    default boolean stopRequested() {
        return false;
    }
}
