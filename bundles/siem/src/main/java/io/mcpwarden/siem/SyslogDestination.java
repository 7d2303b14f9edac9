package io.mcpwarden.siem;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One syslog receiver and what it gets.
 *
 * <p>URI syntax: {@code udp://host:port}, {@code tcp://host:port} or {@code tls://host:port}, optionally with
 * query parameters {@code name}, {@code format} ({@code rfc5424}|{@code cef}), {@code ca}, {@code cert},
 * {@code key} (PEM files), {@code types} (comma-separated event types) and {@code severity} (0–7), e.g.
 * {@code tls://siem.example:6514?format=cef&ca=/etc/warden/ca.pem&types=mcp,verdict&severity=5}.
 * The port defaults to 514 (udp, tcp) or 6514 (tls, RFC 5425).
 *
 * @param uri         the destination as given ({@code scheme://host:port[?…]})
 * @param format      what MSG carries
 * @param caFile      PEM file with the CA certificate(s) that must have signed the server certificate
 *                    (TLS only; null = the JDK's default trust store)
 * @param clientCert  PEM certificate chain to present (TLS only, optional; needs {@code clientKey})
 * @param clientKey   PEM PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}) of {@code clientCert}
 * @param eventTypes  event types to forward ({@code dns}, {@code tls}, {@code http}, {@code mcp},
 *                    {@code flow}, {@code verdict}, {@code rules}); empty = all
 * @param minSeverity the least important syslog severity forwarded (0 emergency … 7 debug): an event is
 *                    sent when its severity number is {@code <= minSeverity}; 7 = everything
 */
public record SyslogDestination(String uri, Format format, Path caFile, Path clientCert, Path clientKey,
                                Set<String> eventTypes, int minSeverity) {

    /** The event types a filter may name. */
    public static final Set<String> EVENT_TYPES = Set.of("dns", "tls", "http", "mcp", "flow", "verdict", "rules");

    public SyslogDestination {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("syslog destination missing");
        }
        format = format == null ? Format.RFC5424 : format;
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
        for (String t : eventTypes) {
            if (!EVENT_TYPES.contains(t)) {
                throw new IllegalArgumentException("syslog destination " + uri + ": unknown event type '" + t
                        + "' (known: dns, tls, http, mcp, flow, verdict, rules)");
            }
        }
        if (minSeverity < 0 || minSeverity > 7) {
            throw new IllegalArgumentException("syslog destination " + uri + ": severity " + minSeverity
                    + " out of range 0..7");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("syslog destination " + uri
                    + ": a client certificate needs both cert and key");
        }
        Parsed p = split(uri);
        if (p.scheme != Transport.TLS && (caFile != null || clientCert != null)) {
            throw new IllegalArgumentException("syslog destination " + uri
                    + ": ca/cert/key apply to tls:// destinations only");
        }
    }

    /** Transport of a destination. */
    public enum Transport { UDP, TCP, TLS }

    /**
     * Parses {@code udp|tcp|tls://host[:port][?name=&format=&ca=&cert=&key=&types=&severity=]}.
     *
     * @throws IllegalArgumentException with a message naming the problem
     */
    public static SyslogDestination parse(String uri) {
        Parsed p = split(uri);
        Format format = Format.RFC5424;
        Path ca = null;
        Path cert = null;
        Path key = null;
        Set<String> types = Set.of();
        int severity = 7;
        if (p.query != null && !p.query.isEmpty()) {
            for (String kv : p.query.split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("syslog destination " + uri + ": parameter '" + kv
                            + "' is not name=value");
                }
                String k = kv.substring(0, eq);
                String v = java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                switch (k) {
                    case "name" -> { /* read by name() */ }
                    case "format" -> format = Format.parse(v);
                    case "ca" -> ca = Path.of(v);
                    case "cert" -> cert = Path.of(v);
                    case "key" -> key = Path.of(v);
                    case "types" -> types = new LinkedHashSet<>(Arrays.stream(v.split(","))
                            .map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList());
                    case "severity" -> {
                        try {
                            severity = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("syslog destination " + uri + ": severity '" + v
                                    + "' is not a number 0..7");
                        }
                    }
                    default -> throw new IllegalArgumentException("syslog destination " + uri
                            + ": unknown parameter '" + k + "' (known: name, format, ca, cert, key, types, severity)");
                }
            }
        }
        return new SyslogDestination(uri, format, ca, cert, key, types, severity);
    }

    /** Transport named by the scheme. */
    public Transport transport() {
        return split(uri).scheme;
    }

    /** Host name or address literal (without brackets). */
    public String host() {
        return split(uri).host;
    }

    /** Port, with the scheme's default when absent. */
    public int port() {
        return split(uri).port;
    }

    /**
     * Name used in counters and reports: the {@code name} parameter, else {@code scheme_host_port}; only
     * {@code [A-Za-z0-9_-]} (others become {@code _}).
     */
    public String name() {
        Parsed p = split(uri);
        String n = p.name != null ? p.name
                : p.scheme.name().toLowerCase(Locale.ROOT) + "_" + p.host + "_" + p.port;
        StringBuilder b = new StringBuilder(n.length());
        for (char c : n.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? c : '_');
        }
        return b.toString();
    }

    /** This destination with another format (for a command-line {@code --syslog-format}). */
    public SyslogDestination withFormat(Format f) {
        return new SyslogDestination(uri, f, caFile, clientCert, clientKey, eventTypes, minSeverity);
    }

    /** This destination with a CA file (for a command-line {@code --syslog-ca}; ignored unless tls). */
    public SyslogDestination withCaFile(Path ca) {
        return transport() == Transport.TLS
                ? new SyslogDestination(uri, format, ca, clientCert, clientKey, eventTypes, minSeverity) : this;
    }

    /** This destination with a client certificate and key (tls only). */
    public SyslogDestination withClientCertificate(Path cert, Path key) {
        return new SyslogDestination(uri, format, caFile, cert, key, eventTypes, minSeverity);
    }

    /** This destination with an event-type filter and a severity threshold. */
    public SyslogDestination withFilter(Set<String> types, int severity) {
        return new SyslogDestination(uri, format, caFile, clientCert, clientKey, types, severity);
    }

    /** Whether an event of this type and syslog severity passes the filter. */
    public boolean accepts(String eventType, int severity) {
        return severity <= minSeverity && (eventTypes.isEmpty() || eventTypes.contains(eventType));
    }

    private record Parsed(Transport scheme, String host, int port, String query, String name) {
    }

    private static Parsed split(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("syslog destination missing");
        }
        URI u;
        try {
            u = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("syslog destination '" + uri + "' is not a URI: " + e.getReason());
        }
        String s = u.getScheme();
        if (s == null) {
            throw new IllegalArgumentException("syslog destination '" + uri
                    + "' has no scheme: use udp://host:port, tcp://host:port or tls://host:port");
        }
        Transport t = switch (s.toLowerCase(Locale.ROOT)) {
            case "udp" -> Transport.UDP;
            case "tcp" -> Transport.TCP;
            case "tls" -> Transport.TLS;
            default -> throw new IllegalArgumentException("syslog destination '" + uri + "': unknown scheme '" + s
                    + "' (use udp, tcp or tls)");
        };
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("syslog destination '" + uri + "' has no host (expected "
                    + s + "://host:port)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) {
            throw new IllegalArgumentException("syslog destination '" + uri + "' must not have a path");
        }
        int port = u.getPort();
        if (port == -1) {
            port = t == Transport.TLS ? 6514 : 514;
        } else if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("syslog destination '" + uri + "': port out of range");
        }
        String q = u.getRawQuery();
        String name = null;
        if (q != null) {
            for (String kv : q.split("&")) {
                if (kv.startsWith("name=")) {
                    name = java.net.URLDecoder.decode(kv.substring(5), java.nio.charset.StandardCharsets.UTF_8);
                    if (name.isBlank()) {
                        throw new IllegalArgumentException("syslog destination '" + uri + "': empty name");
                    }
                }
            }
        }
        return new Parsed(t, host, port, q, name);
    }
}
