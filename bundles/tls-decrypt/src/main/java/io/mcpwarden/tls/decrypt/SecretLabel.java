package io.mcpwarden.tls.decrypt;

/**
 * The NSS key log labels that are used. EXPORTER_SECRET and the early (0-RTT) secrets are ignored.
 * See https://www.ietf.org/archive/id/draft-ietf-tls-keylogfile-02.html
 */
public enum SecretLabel {
    /** TLS 1.2 and below: the 48-byte master secret. */
    CLIENT_RANDOM,
    CLIENT_HANDSHAKE_TRAFFIC_SECRET,
    SERVER_HANDSHAKE_TRAFFIC_SECRET,
    CLIENT_TRAFFIC_SECRET_0,
    SERVER_TRAFFIC_SECRET_0;

    /** @return the label, or null for labels that are not used (known or not) */
    public static SecretLabel of(String s) {
        if (s == null) {
            return null;
        }
        switch (s) {
            case "CLIENT_RANDOM": return CLIENT_RANDOM;
            case "CLIENT_HANDSHAKE_TRAFFIC_SECRET": return CLIENT_HANDSHAKE_TRAFFIC_SECRET;
            case "SERVER_HANDSHAKE_TRAFFIC_SECRET": return SERVER_HANDSHAKE_TRAFFIC_SECRET;
            case "CLIENT_TRAFFIC_SECRET_0": return CLIENT_TRAFFIC_SECRET_0;
            case "SERVER_TRAFFIC_SECRET_0": return SERVER_TRAFFIC_SECRET_0;
            default: return null;
        }
    }

    /** @return true for labels of the key log format that are deliberately not used */
    static boolean ignored(String s) {
        return "EXPORTER_SECRET".equals(s) || "CLIENT_EARLY_TRAFFIC_SECRET".equals(s)
                || "EARLY_EXPORTER_SECRET".equals(s) || "EARLY_EXPORTER_MASTER_SECRET".equals(s)
                || "EXPORTER_MASTER_SECRET".equals(s);
    }
}
