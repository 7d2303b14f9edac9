package io.mcpwarden.dissect.dns;

import java.util.List;

/**
 * Result of parsing one DNS message.
 *
 * @param message   the decoded message, or {@code null} when not even the 12-byte header was usable
 * @param anomalies stable anomaly names from {@link DnsAnomaly}, in the order found (empty when clean)
 * @param complete  {@code true} when every section announced by the header was read; {@code false} when the
 *                  data ended early (incomplete) or parsing stopped at malformed data
 */
public record DnsParse(DnsMessage message, List<String> anomalies, boolean complete) {
    public DnsParse {
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    }

    /** @return true when {@code name} is among the anomalies */
    public boolean has(String name) {
        return anomalies.contains(name);
    }
}
