package io.mcpwarden.policy.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mcpwarden.policy.RegisteredServer;
import io.mcpwarden.policy.RegistryCheck;
import io.mcpwarden.policy.RuleError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the registry YAML from Jackson's YAML token stream (no data binding, so opening a policy does not load
 * an object mapper for a file of a few entries). Every error carries the line and column of the entry or field it
 * concerns and says what was expected in the file's own terms.
 * <p>
 * Shape: a mapping with one field, {@code servers}, a list of mappings. A scalar where a list belongs is read as a
 * one-item list; numbers and booleans where text belongs are read as their text; an empty value is absent.
 */
final class RegistryParser {
    private static final int MAX_BYTES = 4 << 20;
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final List<String> TEXT_FIELDS = List.of("name", "endpoint", "owner", "notes");
    private static final List<String> LIST_FIELDS = List.of("sni", "ip_ranges", "protocol_versions", "clients",
            "tools");
    private static final String KNOWN = "name, endpoint, owner, sni, ip_ranges, protocol_versions, clients, tools, "
            + "notes";
    private static final String ENTRY_SHAPE = " must be a mapping with at least 'name' and 'endpoint'";

    private RegistryParser() {
    }

    /** Parses; the registry is non-null only when the check is ok. */
    record Parsed(RegistryCheck check, RegistryImpl registry) {
    }

    /** What is wrong, and where (line and column, 1-based; 0 when unknown). */
    private static final class Bad extends Exception {
        final int line;
        final int col;

        Bad(JsonLocation at, String message) {
            super(message, null, false, false);
            this.line = at == null ? 0 : Math.max(0, at.getLineNr());
            this.col = at == null ? 0 : Math.max(0, at.getColumnNr());
        }
    }

    /** One server entry as written: text fields, list fields, and where each field and the entry start. */
    private record Entry(Map<String, String> text, Map<String, List<String>> lists, Map<String, JsonLocation> at,
                         JsonLocation start) {
        JsonLocation where(String field) {
            return at.getOrDefault(field, start);
        }
    }

    static Parsed parse(String fileName, byte[] content) {
        String hash = Hashes.of(content);
        if (content.length > MAX_BYTES) {
            return fail(fileName, hash, 0, 0, "registry file larger than " + MAX_BYTES + " bytes");
        }
        List<RegisteredServer> servers = new ArrayList<>();
        List<RegistryImpl.Entry> entries = new ArrayList<>();
        try {
            Set<String> names = new HashSet<>();
            for (Entry e : read(content)) {
                String name = e.text().get("name");
                if (name == null || name.isBlank()) {
                    throw new Bad(e.where("name"), "server without a name");
                }
                String endpoint = e.text().get("endpoint");
                if (endpoint == null || endpoint.isBlank()) {
                    throw new Bad(e.where("name"), "server '" + name + "' has no endpoint");
                }
                if (!names.add(name)) {
                    throw new Bad(e.where("name"), "duplicate server name '" + name + "'");
                }
                List<HostPattern> patterns = new ArrayList<>();
                patterns.add(valid(e, "endpoint", () -> HostPattern.parse(endpoint)));
                List<String> sni = e.lists().get("sni");
                for (String s : sni == null ? List.<String>of() : sni) {
                    patterns.add(valid(e, "sni", () -> HostPattern.parse(s)).asHostOnly());
                }
                List<Cidr> ranges = new ArrayList<>();
                List<String> ip = e.lists().get("ip_ranges");
                for (String s : ip == null ? List.<String>of() : ip) {
                    ranges.add(valid(e, "ip_ranges", () -> Cidr.parse(s)));
                }
                RegisteredServer rs = new RegisteredServer(name, endpoint, e.text().get("owner"), sni, ip,
                        e.lists().get("protocol_versions"), e.lists().get("clients"), e.lists().get("tools"),
                        e.text().get("notes"));
                entries.add(new RegistryImpl.Entry(entries.size(), rs, patterns, List.copyOf(ranges)));
                servers.add(rs);
            }
        } catch (Bad b) {
            return fail(fileName, hash, b.line, b.col, firstLine(b.getMessage()));
        } catch (JsonProcessingException e) { // YAML syntax
            JsonLocation loc = e.getLocation();
            return fail(fileName, hash, loc == null ? 0 : Math.max(0, loc.getLineNr()),
                    loc == null ? 0 : Math.max(0, loc.getColumnNr()), firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            return fail(fileName, hash, 0, 0, String.valueOf(e.getMessage()));
        }
        RegistryImpl reg = new RegistryImpl(servers, entries, hash);
        return new Parsed(new RegistryCheck(true, servers, hash, List.of()), reg);
    }

    private interface Check<T> {
        T get();
    }

    /** A field's value parsed by {@code c}; its complaint becomes an error at the field. */
    private static <T> T valid(Entry e, String field, Check<T> c) throws Bad {
        try {
            return c.get();
        } catch (IllegalArgumentException x) {
            throw new Bad(e.where(field), x.getMessage());
        }
    }

    /** The server entries, in file order (empty entries skipped). */
    private static List<Entry> read(byte[] content) throws IOException, Bad {
        List<Entry> out = new ArrayList<>();
        try (JsonParser p = YAML.createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return out; // empty, or comments only
            }
            if (t != JsonToken.START_OBJECT) {
                throw new Bad(p.currentTokenLocation(), "the registry must be a mapping with a 'servers' list, e.g. "
                        + "servers: [{name: tools, endpoint: \"tools.example.test/mcp\"}]");
            }
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonLocation at = p.currentTokenLocation();
                if (!"servers".equals(field)) {
                    throw new Bad(at, "unknown top-level field '" + field + "' (the registry has one: servers)");
                }
                if (seen) {
                    throw new Bad(at, "'servers' given twice");
                }
                seen = true;
                t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    int index = 0;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        index++;
                        Entry e = entry(p, t, index);
                        if (e != null) {
                            out.add(e);
                        }
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    throw new Bad(p.currentTokenLocation(), "'servers' must be a list of servers, each a mapping"
                            + " with at least 'name' and 'endpoint'");
                } else if (t != JsonToken.VALUE_NULL) {
                    throw new Bad(p.currentTokenLocation(), "server entry 1" + ENTRY_SHAPE);
                }
            }
        }
        return out;
    }

    /** Entry {@code index} (1-based) whose first token {@code t} is current; null for an empty one. */
    private static Entry entry(JsonParser p, JsonToken t, int index) throws IOException, Bad {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonLocation start = p.currentTokenLocation();
        if (t != JsonToken.START_OBJECT) {
            throw new Bad(start, "server entry " + index + ENTRY_SHAPE);
        }
        Map<String, String> text = new HashMap<>();
        Map<String, List<String>> lists = new HashMap<>();
        Map<String, JsonLocation> at = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonLocation where = p.currentTokenLocation();
            if (at.put(field, where) != null) {
                throw new Bad(where, "'" + field + "' given twice in server entry " + index);
            }
            JsonToken v = p.nextToken();
            if (TEXT_FIELDS.contains(field)) {
                if (v == JsonToken.START_ARRAY || v == JsonToken.START_OBJECT) {
                    throw new Bad(where, "'" + field + "' must be text" + notA(v));
                }
                if (v != JsonToken.VALUE_NULL) {
                    text.put(field, p.getText());
                }
            } else if (LIST_FIELDS.contains(field)) {
                if (v == JsonToken.START_OBJECT) {
                    throw new Bad(where, "'" + field + "' must be a list of text" + notA(v));
                }
                if (v == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
                            throw new Bad(p.currentTokenLocation(), "item " + (items.size() + 1) + " of '" + field
                                    + "' must be text" + (v == JsonToken.VALUE_NULL ? ", not empty" : notA(v)));
                        }
                        items.add(p.getText());
                    }
                    lists.put(field, items);
                } else if (v != JsonToken.VALUE_NULL) {
                    lists.put(field, List.of(p.getText()));
                }
            } else {
                throw new Bad(where, "unknown field '" + field + "' (known: " + KNOWN + ")");
            }
        }
        return new Entry(text, lists, at, start);
    }

    private static String notA(JsonToken t) {
        return t == JsonToken.START_OBJECT ? ", not a mapping" : t == JsonToken.START_ARRAY ? ", not a list" : "";
    }

    private static Parsed fail(String file, String hash, int line, int col, String msg) {
        return new Parsed(new RegistryCheck(false, List.of(), hash, List.of(new RuleError(file, line, col, msg))), null);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
