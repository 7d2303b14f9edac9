package io.mcpwarden.siem.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import io.mcpwarden.siem.Format;
import io.mcpwarden.siem.SiemConfig;
import io.mcpwarden.siem.SiemConfigException;
import io.mcpwarden.siem.SyslogDestination;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the appliance configuration file with Jackson's YAML parser (streaming, so that every value keeps its
 * line and column). Strict: unknown or repeated keys, wrong types and bad values are errors at their place.
 */
public final class ConfigParser {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    static final String TOP_KEYS = "syslog";
    static final String SYSLOG_KEYS = "spool_dir, spool_cap_mb, destinations";
    static final String DEST_KEYS = "url, name, format, ca, cert, key, event_types, min_severity";
    static final long MAX_CAP_MB = 1L << 20;

    /** Syslog severity names (RFC 5424 §6.2.1 keywords and their usual spellings). */
    static final Map<String, Integer> SEVERITIES = Map.ofEntries(
            Map.entry("emerg", 0), Map.entry("emergency", 0), Map.entry("alert", 1), Map.entry("crit", 2),
            Map.entry("critical", 2), Map.entry("err", 3), Map.entry("error", 3), Map.entry("warning", 4),
            Map.entry("warn", 4), Map.entry("notice", 5), Map.entry("info", 6), Map.entry("informational", 6),
            Map.entry("debug", 7));

    private final String file;
    private final Path baseDir;
    private final JsonParser p;

    private ConfigParser(String file, Path baseDir, JsonParser p) {
        this.file = file;
        this.baseDir = baseDir;
        this.p = p;
    }

    public static SiemConfig parse(String fileName, byte[] content, Path baseDir) throws SiemConfigException {
        if (content.length > SiemConfig.MAX_BYTES) {
            throw new SiemConfigException(fileName, 0, 0, "larger than " + SiemConfig.MAX_BYTES + " bytes");
        }
        try (JsonParser p = YAML.createParser(content)) {
            return new ConfigParser(fileName, baseDir, p).top();
        } catch (JsonProcessingException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                    // SnakeYAML's own marks (0-based): where the problem is, and the construct it interrupted
                    Mark at = m.getProblemMark();
                    Mark ctx = m.getContextMark();
                    String why = m.getProblem() + (m.getContext() == null ? ""
                            : " (" + m.getContext() + (ctx == null ? "" : " that began on line " + (ctx.getLine() + 1)
                            + ", column " + (ctx.getColumn() + 1)) + ")");
                    throw new SiemConfigException(fileName, at.getLine() + 1, at.getColumn() + 1,
                            "not valid YAML: " + why);
                }
            }
            JsonLocation l = e.getLocation();
            String m = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
            m = m.strip().replaceAll("\\s*\\n\\s*", "; ");
            throw new SiemConfigException(fileName, l == null ? 0 : Math.max(0, l.getLineNr()),
                    l == null ? 0 : Math.max(0, l.getColumnNr()), "not valid YAML: " + m);
        } catch (IOException e) {
            throw new SiemConfigException(fileName, 0, 0, "cannot be read: " + e);
        }
    }

    // ---------------------------------------------------------------------------------------------- structure

    private SiemConfig top() throws IOException, SiemConfigException {
        JsonToken t = p.nextToken();
        if (t == null || isNull()) {
            return SiemConfig.EMPTY;
        }
        if (t != JsonToken.START_OBJECT) {
            throw fail(p.currentTokenLocation(), "the file must be a mapping of sections (known: " + TOP_KEYS + ")");
        }
        SiemConfig c = SiemConfig.EMPTY;
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = key(seen, TOP_KEYS, "at the top level");
            p.nextToken();
            if (k.equals("syslog")) {
                c = syslog();
            }
        }
        return c;
    }

    private SiemConfig syslog() throws IOException, SiemConfigException {
        if (isNull()) {
            return SiemConfig.EMPTY;
        }
        expect(JsonToken.START_OBJECT, "'syslog' must be a mapping (keys: " + SYSLOG_KEYS + ")");
        Path spool = null;
        long cap = 0;
        List<SiemConfig.Entry> dests = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = key(seen, SYSLOG_KEYS, "in 'syslog'");
            p.nextToken();
            switch (k) {
                case "spool_dir" -> spool = path("spool_dir");
                case "spool_cap_mb" -> {
                    JsonLocation at = p.currentTokenLocation();
                    long mb = integer("spool_cap_mb");
                    if (mb < 1 || mb > MAX_CAP_MB) {
                        throw fail(at, "spool_cap_mb " + mb + " out of range 1.." + MAX_CAP_MB);
                    }
                    cap = mb << 20;
                }
                case "destinations" -> {
                    if (isNull()) {
                        break;
                    }
                    expect(JsonToken.START_ARRAY, "'destinations' must be a list (each item: " + DEST_KEYS + ")");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        SiemConfig.Entry e = destination();
                        String n = e.destination().name();
                        Integer before = names.putIfAbsent(n, e.line());
                        if (before != null) {
                            throw new SiemConfigException(file, e.line(), e.column(), "a second destination named '"
                                    + n + "' (the first is on line " + before + "): give one a 'name'");
                        }
                        dests.add(e);
                    }
                }
                default -> throw new IllegalStateException(k);
            }
        }
        return new SiemConfig(spool, cap, dests);
    }

    private SiemConfig.Entry destination() throws IOException, SiemConfigException {
        JsonLocation start = p.currentTokenLocation();
        expect(JsonToken.START_OBJECT, "a destination must be a mapping (keys: " + DEST_KEYS + ")");
        String url = null;
        JsonLocation urlAt = null;
        String name = null;
        JsonLocation nameAt = null;
        Format format = null;
        Path ca = null;
        JsonLocation caAt = null;
        Path cert = null;
        JsonLocation certAt = null;
        Path key = null;
        Set<String> types = Set.of();
        int severity = 7;
        Set<String> seen = new HashSet<>();
        Map<String, JsonLocation> files = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = key(seen, DEST_KEYS, "in a destination");
            JsonLocation keyAt = p.currentTokenLocation();
            p.nextToken();
            JsonLocation at = p.currentTokenLocation();
            switch (k) {
                case "url" -> {
                    url = text("url");
                    urlAt = at;
                }
                case "name" -> {
                    name = text("name");
                    nameAt = at;
                    if (name.isBlank()) {
                        throw fail(at, "empty name");
                    }
                }
                case "format" -> {
                    try {
                        format = Format.parse(text("format"));
                    } catch (IllegalArgumentException e) {
                        throw fail(at, e.getMessage());
                    }
                }
                case "ca" -> {
                    ca = path("ca");
                    caAt = keyAt;
                    files.put("ca", at);
                }
                case "cert" -> {
                    cert = path("cert");
                    certAt = keyAt;
                    files.put("cert", at);
                }
                case "key" -> {
                    key = path("key");
                    files.put("key", at);
                }
                case "event_types" -> types = eventTypes();
                case "min_severity" -> severity = severity();
                default -> throw new IllegalStateException(k);
            }
        }
        if (url == null) {
            throw fail(start, "destination without 'url' (udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT)");
        }
        if (url.contains("?")) {
            throw fail(urlAt, "url '" + url + "' has a query part: write its settings as keys of the destination ("
                    + DEST_KEYS + ")");
        }
        String uri = name == null ? url : url + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        SyslogDestination d;
        try {
            d = SyslogDestination.parse(uri);
        } catch (IllegalArgumentException e) {
            throw fail(name != null && e.getMessage().contains("name") ? nameAt : urlAt, e.getMessage());
        }
        if (d.transport() != SyslogDestination.Transport.TLS && (ca != null || cert != null || key != null)) {
            throw fail(caAt != null ? caAt : certAt != null ? certAt : urlAt,
                    "ca, cert and key apply to tls:// destinations only");
        }
        if ((cert == null) != (key == null)) {
            throw fail(start, "a client certificate needs both 'cert' and 'key'");
        }
        for (Map.Entry<String, JsonLocation> f : files.entrySet()) {
            Path x = switch (f.getKey()) {
                case "ca" -> ca;
                case "cert" -> cert;
                default -> key;
            };
            if (!Files.isRegularFile(x) || !Files.isReadable(x)) {
                throw fail(f.getValue(), f.getKey() + " file " + x
                        + (Files.exists(x) ? " cannot be read" : " does not exist"));
            }
        }
        try {
            d = d.withFormat(format != null ? format : Format.RFC5424).withFilter(types, severity);
            if (ca != null) {
                d = d.withCaFile(ca);
            }
            if (cert != null) {
                d = d.withClientCertificate(cert, key);
            }
        } catch (IllegalArgumentException e) {
            throw fail(start, e.getMessage());
        }
        return new SiemConfig.Entry(d, start.getLineNr(), start.getColumnNr());
    }

    private Set<String> eventTypes() throws IOException, SiemConfigException {
        Set<String> out = new LinkedHashSet<>();
        if (p.currentToken() == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(eventType());
            }
            if (out.isEmpty()) {
                throw fail(p.currentTokenLocation(), "event_types is empty: leave it out to forward every type");
            }
        } else {
            out.add(eventType());
        }
        return out;
    }

    private String eventType() throws IOException, SiemConfigException {
        JsonLocation at = p.currentTokenLocation();
        String t = text("event_types").trim().toLowerCase(Locale.ROOT);
        if (!SyslogDestination.EVENT_TYPES.contains(t)) {
            throw fail(at, "unknown event type '" + t + "' (known: dns, tls, http, mcp, flow, verdict, rules)");
        }
        return t;
    }

    private int severity() throws IOException, SiemConfigException {
        JsonLocation at = p.currentTokenLocation();
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            int n = p.getIntValue();
            if (n < 0 || n > 7) {
                throw fail(at, "min_severity " + n + " out of range 0..7");
            }
            return n;
        }
        String s = text("min_severity").trim().toLowerCase(Locale.ROOT);
        Integer n = SEVERITIES.get(s);
        if (n == null) {
            throw fail(at, "unknown min_severity '" + s
                    + "' (emerg, alert, crit, err, warning, notice, info, debug or 0..7)");
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------- values

    /** The current field name, checked against the known ones and for repetition. */
    private String key(Set<String> seen, String known, String where) throws IOException, SiemConfigException {
        String k = p.currentName();
        JsonLocation at = p.currentTokenLocation();
        if (!List.of(known.split(", ")).contains(k)) {
            throw fail(at, "unknown key '" + k + "' " + where + " (known: " + known + ")");
        }
        if (!seen.add(k)) {
            throw fail(at, "key '" + k + "' given twice " + where);
        }
        return k;
    }

    /** An absent value: {@code key:} with nothing after it, or {@code null}/{@code ~}. */
    private boolean isNull() throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_STRING && p.getText().isEmpty();
    }

    private void expect(JsonToken t, String message) throws SiemConfigException {
        if (p.currentToken() != t) {
            throw fail(p.currentTokenLocation(), message);
        }
    }

    private String text(String field) throws IOException, SiemConfigException {
        JsonToken t = p.currentToken();
        if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL) {
            throw fail(p.currentTokenLocation(), field + " must be a single value");
        }
        return p.getText();
    }

    private long integer(String field) throws IOException, SiemConfigException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw fail(p.currentTokenLocation(), field + " must be a whole number");
        }
        return p.getLongValue();
    }

    private Path path(String field) throws IOException, SiemConfigException {
        JsonLocation at = p.currentTokenLocation();
        String s = text(field);
        if (s.isBlank()) {
            throw fail(at, field + " is empty");
        }
        try {
            Path x = Path.of(s);
            return x.isAbsolute() || baseDir == null ? x : baseDir.resolve(x);
        } catch (RuntimeException e) {
            throw fail(at, field + " '" + s + "' is not a path: " + e.getMessage());
        }
    }

    private SiemConfigException fail(JsonLocation at, String message) {
        return new SiemConfigException(file, at == null ? 0 : Math.max(0, at.getLineNr()),
                at == null ? 0 : Math.max(0, at.getColumnNr()), message);
    }
}
