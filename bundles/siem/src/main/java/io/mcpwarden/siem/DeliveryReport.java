package io.mcpwarden.siem;

import java.util.List;

/** What {@link SiemExporter#close(java.time.Duration)} achieved, per destination. */
public record DeliveryReport(List<DestinationReport> destinations) {
    public DeliveryReport {
        destinations = List.copyOf(destinations);
    }

    /** True when every destination got every event. */
    public boolean complete() {
        return destinations.stream().allMatch(DestinationReport::complete);
    }

    /** The report of the destination with this name, or null. */
    public DestinationReport destination(String name) {
        return destinations.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (DestinationReport d : destinations) {
            b.append(d.name()).append(": sent=").append(d.sent()).append(" resent=").append(d.resent())
                    .append(" spooled=").append(d.spooled()).append(" dropped=").append(d.dropped())
                    .append(" reconnects=").append(d.reconnects()).append(" errors=").append(d.errors());
            if (d.lastError() != null) {
                b.append(" last_error=\"").append(d.lastError()).append('"');
            }
            b.append('\n');
        }
        return b.toString();
    }
}
