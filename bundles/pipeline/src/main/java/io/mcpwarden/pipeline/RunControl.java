package io.mcpwarden.pipeline;

/** Progress reporting and cooperative stop for a running inspection. */
public interface RunControl {
    RunControl NONE = new RunControl() {
    };

    /** Called about every few hundred milliseconds of work with the running totals. */
    default void progress(InspectionSummary soFar) {
    }

    /** Polled between packets; true ends the run (flows are still flushed). */
    default boolean stopRequested() {
        return false;
    }
}
