package io.mcpwarden.policy.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mcpwarden.policy.RegisteredServer;
import io.mcpwarden.policy.RegistryCheck;
import io.mcpwarden.policy.RuleError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the registry YAML with Jackson; errors carry Jackson's line and column. */
final class RegistryParser {
    private static final int MAX_BYTES = 4 << 20;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    /** The file's top level. */
    record RegistryFile(@JsonProperty("servers") List<ServerYaml> servers) {
    }

    /** One entry as written; validated on construction so that Jackson reports the place of a bad entry. */
    record ServerYaml(@JsonProperty("name") String name,
                      @JsonProperty("endpoint") String endpoint,
                      @JsonProperty("owner") String owner,
                      @JsonProperty("sni") List<String> sni,
                      @JsonProperty("ip_ranges") List<String> ipRanges,
                      @JsonProperty("protocol_versions") List<String> protocolVersions,
                      @JsonProperty("clients") List<String> clients,
                      @JsonProperty("tools") List<String> tools,
                      @JsonProperty("notes") String notes) {
        ServerYaml {
            if (name == null || name.isBlank()) {
                throw new FieldError("name", "server without a name");
            }
            if (endpoint == null || endpoint.isBlank()) {
                throw new FieldError("name", "server '" + name + "' has no endpoint");
            }
            check("endpoint", () -> HostPattern.parse(endpoint));
            if (sni != null) {
                check("sni", () -> sni.forEach(HostPattern::parse));
            }
            if (ipRanges != null) {
                check("ip_ranges", () -> ipRanges.forEach(Cidr::parse));
            }
        }

        private static void check(String field, Runnable r) {
            try {
                r.run();
            } catch (IllegalArgumentException e) {
                throw new FieldError(field, e.getMessage());
            }
        }
    }

    /** A bad value in a named field of a server entry. */
    static final class FieldError extends IllegalArgumentException {
        final String field;

        FieldError(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    private RegistryParser() {
    }

    /** Parses; the registry is non-null only when the check is ok. */
    record Parsed(RegistryCheck check, RegistryImpl registry) {
    }

    /** A value of the wrong YAML shape (a scalar where a mapping or list belongs), said in the file's terms. */
    private static String wrongShape(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        var path = e.getPath();
        if (path.isEmpty()) {
            return "the registry must be a mapping with a 'servers' list, e.g. servers: [{name: tools, "
                    + "endpoint: \"tools.example.test/mcp\"}]";
        }
        var last = path.get(path.size() - 1);
        if (last.getIndex() >= 0) {
            return path.size() <= 2 ? "server entry " + (last.getIndex() + 1)
                    + " must be a mapping with at least 'name' and 'endpoint'"
                    : "item " + (last.getIndex() + 1) + " of '" + path.get(path.size() - 2).getFieldName()
                    + "' must be " + kind(e.getTargetType()) + found(e);
        }
        String field = last.getFieldName();
        Class<?> t = e.getTargetType();
        if ("servers".equals(field) && path.size() == 1) {
            return "'servers' must be a list of servers, each a mapping with at least 'name' and 'endpoint'";
        }
        if (t != null && java.util.Collection.class.isAssignableFrom(t)) {
            return "'" + field + "' must be a list";
        }
        return "'" + field + "' must be " + kind(t) + found(e);
    }

    private static String kind(Class<?> t) {
        if (t == null) {
            return "of another type";
        }
        if (t == String.class) {
            return "text";
        }
        if (Number.class.isAssignableFrom(t) || t == int.class || t == long.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        return "a mapping";
    }

    private static String found(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        String m = String.valueOf(e.getOriginalMessage());
        return m.contains("from Object value") ? ", not a mapping" : m.contains("from Array value") ? ", not a list"
                : m.contains("from String value") ? ", not text" : "";
    }

    static Parsed parse(String fileName, byte[] content) {
        String hash = Hashes.of(content);
        if (content.length > MAX_BYTES) {
            return fail(fileName, hash, 0, 0, "registry file larger than " + MAX_BYTES + " bytes");
        }
        RegistryFile file;
        try {
            file = content.length == 0 ? null : YAML.readValue(content, RegistryFile.class);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
            int col = loc == null ? 0 : Math.max(0, loc.getColumnNr());
            String msg = e.getOriginalMessage();
            String field = null;
            if (e instanceof UnrecognizedPropertyException u) {
                field = u.getPropertyName();
                msg = "unknown field '" + field + "' (known: name, endpoint, owner, sni, ip_ranges, "
                        + "protocol_versions, clients, tools, notes)";
            } else if (e.getCause() instanceof FieldError fe) {
                field = fe.field;
                msg = fe.getMessage();
            } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi) {
                msg = wrongShape(mi);
            }
            int index = -1;
            if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jm) {
                for (var ref : jm.getPath()) {
                    if (ref.getIndex() >= 0) {
                        index = ref.getIndex();
                    }
                }
            }
            if (index >= 0 && field != null) {
                int[] at = locate(content, index, field);
                if (at != null) {
                    line = at[0];
                    col = at[1];
                }
            }
            return fail(fileName, hash, line, col, firstLine(msg));
        } catch (IOException | RuntimeException e) {
            return fail(fileName, hash, 0, 0, String.valueOf(e.getMessage()));
        }
        List<RegisteredServer> servers = new ArrayList<>();
        List<RegistryImpl.Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<ServerYaml> list = file == null || file.servers() == null ? List.of() : file.servers();
        for (ServerYaml s : list) {
            if (s == null) {
                continue;
            }
            if (!names.add(s.name())) {
                int[] at = locate(content, list.indexOf(s) >= 0 ? indexOfLast(list, s) : 0, "name");
                return fail(fileName, hash, at == null ? 0 : at[0], at == null ? 0 : at[1],
                        "duplicate server name '" + s.name() + "'");
            }
            RegisteredServer rs = new RegisteredServer(s.name(), s.endpoint(), s.owner(), s.sni(), s.ipRanges(),
                    s.protocolVersions(), s.clients(), s.tools(), s.notes());
            List<HostPattern> patterns = new ArrayList<>();
            patterns.add(HostPattern.parse(s.endpoint()));
            for (String sni : rs.sni()) {
                HostPattern p = HostPattern.parse(sni);
                patterns.add(p.asHostOnly());
            }
            List<Cidr> ranges = rs.ipRanges().stream().map(Cidr::parse).toList();
            entries.add(new RegistryImpl.Entry(entries.size(), rs, patterns, ranges));
            servers.add(rs);
        }
        RegistryImpl reg = new RegistryImpl(servers, entries, hash);
        return new Parsed(new RegistryCheck(true, servers, hash, List.of()), reg);
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

    private static int indexOfLast(List<ServerYaml> list, ServerYaml s) {
        return list.lastIndexOf(s);
    }

    /**
     * Line and column of a field of {@code servers[index]} (or of the entry itself when the field is absent),
     * found by walking the YAML token stream; null when not found.
     */
    static int[] locate(byte[] content, int index, String field) {
        try (com.fasterxml.jackson.core.JsonParser p = YAML.getFactory().createParser(content)) {
            int depth = 0;
            int entry = -1;
            int[] entryStart = null;
            boolean inServers = false;
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (inServers && depth == 3 && t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                            entry++;
                            if (entry == index) {
                                JsonLocation l = p.currentTokenLocation();
                                entryStart = new int[] {l.getLineNr(), l.getColumnNr()};
                            }
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (inServers && depth == 3 && entry == index && t == com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
                            return entryStart;
                        }
                        depth--;
                        if (depth == 1) {
                            inServers = false;
                        }
                    }
                    case FIELD_NAME -> {
                        if (depth == 1 && "servers".equals(p.currentName())) {
                            inServers = true;
                        } else if (inServers && depth == 3 && entry == index && field.equals(p.currentName())) {
                            JsonLocation l = p.currentTokenLocation();
                            return new int[] {l.getLineNr(), l.getColumnNr()};
                        }
                    }
                    default -> { }
                }
            }
            return entryStart;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
