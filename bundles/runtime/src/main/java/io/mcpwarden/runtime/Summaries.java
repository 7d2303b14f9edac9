package io.mcpwarden.runtime;

import io.mcpwarden.capture.CaptureStatus;
import io.mcpwarden.pipeline.InspectionSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Formats the one-line run summaries shared by the commands. */
final class Summaries {
    /** Event types in the order they are listed; others follow alphabetically. */
    static final List<String> TYPE_ORDER = List.of("dns", "tls", "http", "mcp", "flow");

    private Summaries() {
    }

    /**
     * {@code inspect: P1.pcap: 412 packets, 0.02 MB, 9 flows, events dns=6 http=12 mcp=1 flow=9, 0.21 s,
     * 0.01 Gbit/s, status ok}
     */
    static String line(String command, String subject, InspectionSummary s) {
        return String.format(Locale.ROOT, "%s: %s: %d packets, %.2f MB, %d flows, events %s, %.2f s, %.2f Gbit/s, status %s",
                command, subject, s.packets(), s.bytes() / 1e6, s.flows(), eventCounts(s.eventsByType(), false),
                s.seconds(), s.gbps(), s.status() == null ? "ok" : s.status().state());
    }

    /**
     * Event counts as {@code dns=6 http=12}: known types first in a fixed order, zero counts left out
     * unless {@code withZeros}; {@code none} when nothing was counted.
     */
    static String eventCounts(Map<String, Long> byType, boolean withZeros) {
        List<String> parts = new ArrayList<>();
        for (String t : TYPE_ORDER) {
            long n = byType.getOrDefault(t, 0L);
            if (n != 0 || withZeros) {
                parts.add(t + "=" + n);
            }
        }
        new TreeMap<>(byType).forEach((t, n) -> {
            if (!TYPE_ORDER.contains(t) && (n != 0 || withZeros)) {
                parts.add(t + "=" + n);
            }
        });
        return parts.isEmpty() ? "none" : String.join(" ", parts);
    }

    /** The warning for a truncated capture, or null when the status is not {@code truncated}. */
    static String truncationWarning(CaptureStatus status) {
        if (status == null || !"truncated".equals(status.state())) {
            return null;
        }
        return "warning: capture truncated at offset " + status.offset() + ": "
                + (status.message() == null ? "damaged record" : status.message()) + "; processed up to the damage";
    }
}
