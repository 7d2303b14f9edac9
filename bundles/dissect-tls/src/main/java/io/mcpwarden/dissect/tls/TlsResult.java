package io.mcpwarden.dissect.tls;

import java.util.List;

/**
 * What one {@link TlsDirectionDissector#feed} call completed.
 *
 * @param clientHello the ClientHello completed by this feed, else null
 * @param serverHello the ServerHello completed by this feed, else null
 * @param anomalies   anomaly names ({@link TlsAnomaly}) found during this feed, in order, without duplicates
 */
public record TlsResult(ClientHello clientHello, ServerHello serverHello, List<String> anomalies) {
    public TlsResult {
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    }

    /** @return true when nothing was completed or found */
    public boolean isEmpty() {
        return clientHello == null && serverHello == null && anomalies.isEmpty();
    }

    /** @return true when {@code name} is among the anomalies */
    public boolean has(String name) {
        return anomalies.contains(name);
    }
}
