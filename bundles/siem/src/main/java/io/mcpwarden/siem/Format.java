package io.mcpwarden.siem;

/** What a destination receives as the MSG part of each RFC 5424 syslog line. */
public enum Format {
    /** RFC 5424 with the {@code mcpwarden@32473} structured data and the EVE JSON line as MSG. */
    RFC5424,
    /** RFC 5424 envelope (dedupe key in structured data) with an ArcSight CEF:0 record as MSG. */
    CEF;

    /** {@code rfc5424} or {@code cef} (case-insensitive). */
    public static Format parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("syslog format missing: use rfc5424 or cef");
        }
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "rfc5424", "5424", "syslog" -> RFC5424;
            case "cef" -> CEF;
            default -> throw new IllegalArgumentException("unknown syslog format '" + s + "': use rfc5424 or cef");
        };
    }
}
