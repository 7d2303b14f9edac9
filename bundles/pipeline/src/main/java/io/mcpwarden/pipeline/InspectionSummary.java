package io.mcpwarden.pipeline;

import io.mcpwarden.capture.CaptureStatus;

import java.util.Map;

/**
 * Totals of one inspection run.
 *
 * @param packets        frames read
 * @param bytes          frame bytes read (captured length)
 * @param sourcePosition bytes of the source consumed (file offset), -1 when unknown
 * @param sourceSize     size of the source, -1 when unknown
 * @param flows          flows created
 * @param eventsByType   events emitted per {@code event_type}
 * @param nanos          wall-clock time of the run
 * @param status         how the source ended
 * @param counters       other named counters (decode errors, fragments, evictions, drops, ...)
 */
public record InspectionSummary(long packets, long bytes, long sourcePosition, long sourceSize, long flows,
                                Map<String, Long> eventsByType, long nanos, CaptureStatus status,
                                Map<String, Long> counters) {
    public InspectionSummary {
        eventsByType = Map.copyOf(eventsByType);
        counters = Map.copyOf(counters);
    }

    public long events() {
        return eventsByType.values().stream().mapToLong(Long::longValue).sum();
    }

    public double seconds() {
        return nanos / 1e9;
    }

    /** Throughput in Gbit/s of captured bytes. */
    public double gbps() {
        return nanos == 0 ? 0 : bytes * 8.0 / nanos;
    }
}
