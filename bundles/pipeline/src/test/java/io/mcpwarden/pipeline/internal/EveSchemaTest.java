package io.mcpwarden.pipeline.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.CaptureFormatException;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.DnsAnswer;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.RunControl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The EVE JSON schema ({@code io/mcpwarden/events/eve.schema.json}, shipped in the events bundle) against what
 * the writer really emits: every line the pipeline writes on the MCP corpus, the demo capture and the robustness
 * corpus; hand-built verdict and rules events; and mutated lines that must fail, so the schema is known strict.
 */
class EveSchemaTest {
    static final String SCHEMA_RESOURCE = "io/mcpwarden/events/eve.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO = Path.of(System.getProperty("warden.root", "../.."), "demo", "demo.pcap");
    private static final int MIN_ROBUSTNESS_FILES = 50;

    private static JsonNode schemaNode;
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = EveSchemaTest.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            assertNotNull(in, SCHEMA_RESOURCE + " is not on the class path (is warden-events installed?)");
            schemaNode = JSON.readTree(in);
        }
        // format assertions on: ipv4 / ipv6 / date-time are checked, not only annotated
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        schema = registry.getSchema(schemaNode);
        schema.initializeValidators();
    }

    // ------------------------------------------------------------------ the real pipeline's output

    @Test
    void everyLineThePipelineWritesMatchesTheSchema() throws IOException {
        List<Path> captures = new ArrayList<>();
        try (Stream<Path> s = Files.list(Corpus.MCP)) {
            captures.addAll(s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList());
        }
        assertFalse(captures.isEmpty(), "no MCP corpus captures in " + Corpus.MCP);
        assertTrue(Files.isRegularFile(DEMO), "demo capture missing: " + DEMO);
        captures.add(DEMO);
        List<Path> robustness;
        try (Stream<Path> s = Files.list(Corpus.ROBUSTNESS)) {
            robustness = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(robustness.size() >= MIN_ROBUSTNESS_FILES, "robustness files: " + robustness.size());

        Tally tally = new Tally();
        for (Path p : captures) {
            assertTrue(validateCapture(p, tally), p + " is not a readable capture");
        }
        int mcpAndDemoLines = tally.total();
        int robustnessCaptures = 0;
        for (Path p : robustness) {
            if (validateCapture(p, tally)) {
                robustnessCaptures++;
            }
        }
        System.out.printf("eve schema: %d captures (%d MCP corpus + demo, %d of %d robustness files readable), "
                        + "%d lines validated (%d from MCP corpus + demo): %s%n",
                captures.size() + robustnessCaptures, captures.size(), robustnessCaptures, robustness.size(),
                tally.total(), mcpAndDemoLines, tally.perType);
        System.out.println("eve schema: fields never seen in these captures: " + tally.unseen(schemaFields()));
        if (!tally.failures.isEmpty()) {
            fail(tally.failures.size() + " line(s) violate the schema; first ones:\n"
                    + String.join("\n", tally.failures.subList(0, Math.min(20, tally.failures.size()))));
        }
        assertTrue(robustnessCaptures >= MIN_ROBUSTNESS_FILES, "readable robustness captures: " + robustnessCaptures);
        for (String type : List.of("dns", "tls", "http", "mcp", "flow")) {
            assertTrue(tally.perType.getOrDefault(type, 0) > 0, "no " + type + " line in the corpus: " + tally.perType);
        }
    }

    /**
     * Runs one capture through the pipeline into the real EVE writer, validates every written line and checks
     * it is the line {@link EveJsonSink#toJson} gives for the same event. False when the file is no capture.
     */
    private static boolean validateCapture(Path pcap, Tally tally) throws IOException {
        List<WardenEvent> events = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EveJsonSink eve = new EveJsonSink(bytes, true);
        EventSink both = new EventSink() {
            @Override
            public void accept(WardenEvent event) {
                events.add(event);
                eve.accept(event);
            }

            @Override
            public void flush() {
                eve.flush();
            }
        };
        // a key log beside the capture is used, as inspect does by default: decrypted events are validated too
        Path keylog = pcap.resolveSibling(pcap.getFileName().toString().replaceFirst("\\.pcap$", "") + ".keylog");
        io.mcpwarden.tls.decrypt.KeyLog keys = null;
        if (Files.isRegularFile(keylog)) {
            keys = new io.mcpwarden.tls.decrypt.KeyLog();
            io.mcpwarden.tls.decrypt.KeyLogParser.read(keylog, keys);
        }
        try (PacketSource src = CaptureFiles.open(pcap)) {
            new Pipeline(both, InspectOptions.DEFAULTS.withKeyLog(keys)).run(src, RunControl.NONE);
        } catch (CaptureFormatException notACapture) {
            return false;
        } finally {
            eve.close();
        }
        assertNull(eve.failure(), pcap + ": writer failure");
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertTrue(text.isEmpty() || text.endsWith("\n"), pcap + ": output does not end with a newline");
        assertEquals(events.size(), lines.size(), pcap + ": one line per event");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertEquals(EveJsonSink.toJson(events.get(i)), line, pcap + ": stream line differs from toJson");
            tally.check(pcap.getFileName().toString(), line);
        }
        return true;
    }

    // ------------------------------------------------------------------ events the pipeline does not make

    @Test
    void handBuiltVerdictAndRulesEventsMatchTheSchema() throws IOException {
        FlowRef flow = new FlowRef(42, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "2001:db8::1", 51234, "2001:db8::53", 443, "TCP");
        List<WardenEvent> events = List.of(
                new VerdictEvent(1_764_000_000_123_456L, flow, "block", "unregistered-mcp-server", "high",
                        "MCP server not in the registry", "0123456789ab", "tools.example.com:443/mcp", "mcp"),
                new VerdictEvent(1_764_000_000_000_001L, flow.reversed(), "allow", "registered", "info", "",
                        "0123456789ab", "tools.example.com", "dns"),
                new RulesEvent(1_764_000_001_000_000L, "loaded", "0123456789ab", 17, null, 0, 0, null),
                new RulesEvent(1_764_000_002_000_000L, "loaded", "ba9876543210", 17, "registry.yaml", 0, 0, null),
                new RulesEvent(1_764_000_003_000_000L, "rejected", "0123456789ab", 17, "local.drl", 12, 5,
                        "[ERR 102] mismatched input 'then'"));
        Tally tally = new Tally();
        for (WardenEvent e : events) {
            tally.check("hand-built", EveJsonSink.toJson(e));
        }
        System.out.println("eve schema: hand-built lines validated: " + tally.perType);
        assertEquals(List.of(), tally.failures);
        assertEquals(Map.of("verdict", 2, "rules", 3), tally.perType);
    }

    // ------------------------------------------------------------------ the schema is strict

    @Test
    void linesThatBreakTheContractFail() throws IOException {
        FlowRef flow = new FlowRef(7, "1:9j2Dzwrw7T9E+IZi4b4IVT66HBI=", "10.0.0.2", 40000, "10.0.0.53", 53, "UDP");
        String dns = EveJsonSink.toJson(new DnsEvent(1_764_000_000_000_000L, flow.reversed(), "answer", 4660,
                "mcp.example.com", "A", "NOERROR", List.of(new DnsAnswer("mcp.example.com", "A", 300, "192.0.2.7"))));
        String flowLine = EveJsonSink.toJson(new FlowEvent(1_764_000_000_500_000L, flow, 1_764_000_000_000_000L,
                1, 1, 80, 96, "established", "timeout", "dns", 0, List.of()));
        String rules = EveJsonSink.toJson(new RulesEvent(1_764_000_001_000_000L, "loaded", "0123456789ab", 3,
                null, 0, 0, null));
        assertEquals(List.of(), errors(dns), "the unmutated dns line is valid");
        assertEquals(List.of(), errors(flowLine), "the unmutated flow line is valid");
        assertEquals(List.of(), errors(rules), "the unmutated rules line is valid");

        // an unannounced field in a nested object
        assertRejected(dns, "additionalProperties", o -> ((ObjectNode) o.get("dns")).put("qclass", "IN"));
        assertRejected(dns, "additionalProperties",
                o -> ((ObjectNode) o.get("dns").get("answers").get(0)).put("class", "IN"));
        assertRejected(flowLine, "additionalProperties", o -> ((ObjectNode) o.get("flow")).put("bytes", 176));
        // ... and at the top level, or another type's object beside the event's own
        assertRejected(dns, "additionalProperties", o -> o.put("in_iface", "eth0"));
        assertRejected(dns, "propertyNames", o -> o.putObject("tls").put("sni", "mcp.example.com"));

        // a wrong type
        assertRejected(dns, "type", o -> o.put("src_port", "53"));
        assertRejected(dns, "type", o -> ((ObjectNode) o.get("dns")).put("id", "4660"));
        assertRejected(flowLine, "type", o -> ((ObjectNode) o.get("flow")).put("gaps", 0.5));
        assertRejected(flowLine, "type", o -> o.put("flow_id", "7"));

        // a missing required field
        assertRejected(dns, "required", o -> ((ObjectNode) o.get("dns")).remove("rrname"));
        assertRejected(dns, "required", o -> o.remove("community_id"));
        assertRejected(dns, "required", o -> o.remove("timestamp"));
        assertRejected(flowLine, "required", o -> ((ObjectNode) o.get("flow")).remove("reason"));
        assertRejected(flowLine, "required", o -> o.remove("flow"));

        // values outside the announced vocabulary or form
        assertRejected(dns, "enum", o -> ((ObjectNode) o.get("dns")).put("type", "response"));
        assertRejected(dns, "enum", o -> o.put("proto", "tcp"));
        assertRejected(dns, "maximum", o -> o.put("dest_port", 65536));
        assertRejected(dns, "pattern", o -> o.put("timestamp", "2025-11-24T16:00:00.000Z"));
        assertRejected(dns, "pattern", o -> o.put("community_id", "2:9j2Dzwrw7T9E+IZi4b4IVT66HBI="));
        assertRejected(dns, "format", o -> o.put("src_ip", "10.0.0.256"));
        assertRejected(flowLine, "enum", o -> ((ObjectNode) o.get("flow")).put("reason", "closed"));
        assertRejected(rules, "enum", o -> ((ObjectNode) o.get("rules")).put("action", "reloaded"));
        // rules events carry no flow
        assertRejected(rules, "propertyNames", o -> o.put("flow_id", 1));
    }

    private static void assertRejected(String validLine, String keyword, Consumer<ObjectNode> mutation)
            throws IOException {
        ObjectNode o = (ObjectNode) JSON.readTree(validLine);
        mutation.accept(o);
        String broken = JSON.writeValueAsString(o);
        List<Error> errors = schema.validate(o);
        assertFalse(errors.isEmpty(), "schema accepted a broken line: " + broken);
        assertTrue(errors.stream().anyMatch(e -> keyword.equals(e.getKeyword())),
                "expected a '" + keyword + "' error for " + broken + ", got " + errors);
    }

    // ------------------------------------------------------------------ the schema documents every field

    @Test
    void everyFieldOfTheSchemaIsDescribed() {
        List<String> undocumented = new ArrayList<>();
        describeCheck("", schemaNode, undocumented);
        assertEquals(List.of(), undocumented, "fields without a description");
        assertEquals("https://json-schema.org/draft/2020-12/schema", schemaNode.path("$schema").asText());
    }

    private static void describeCheck(String path, JsonNode node, List<String> undocumented) {
        if (node.isArray()) {
            for (JsonNode n : node) {
                describeCheck(path, n, undocumented);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode props = node.get("properties");
        if (props != null && props.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!resolve(f.getValue()).has("description") && !f.getValue().has("description")) {
                    undocumented.add(path + "/" + f.getKey());
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("if")) {
                continue; // a condition on a field declared elsewhere, not a declaration
            }
            describeCheck(path + "/" + f.getKey(), f.getValue(), undocumented);
        }
    }

    private static JsonNode resolve(JsonNode n) {
        String ref = n.path("$ref").asText("");
        return ref.startsWith("#/") ? schemaNode.at(ref.substring(1)) : n;
    }

    /** Every field the schema declares, as {@code name} (common) or {@code type.name} / {@code dns.answers.name}. */
    private static Set<String> schemaFields() {
        Set<String> out = new TreeSet<>();
        schemaNode.path("properties").fieldNames().forEachRemaining(name -> {
            JsonNode def = resolve(schemaNode.path("properties").path(name));
            if (def.path("type").asText().equals("object")) {
                def.path("properties").fieldNames().forEachRemaining(f -> out.add(name + "." + f));
                def.path("properties").path("answers").path("items").path("properties").fieldNames()
                        .forEachRemaining(f -> out.add(name + ".answers." + f));
            } else {
                out.add(name);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static List<Error> errors(String line) throws IOException {
        return schema.validate(JSON.readTree(line));
    }

    /** Lines validated per event type, the fields seen, and the violations found. */
    private static final class Tally {
        final Map<String, Integer> perType = new TreeMap<>();
        final Set<String> seen = new TreeSet<>();
        final List<String> failures = new ArrayList<>();

        void check(String source, String line) throws IOException {
            JsonNode n = JSON.readTree(line);
            List<Error> errors = schema.validate(n);
            String type = n.path("event_type").asText("?");
            perType.merge(type, 1, Integer::sum);
            if (!errors.isEmpty()) {
                failures.add(source + ": " + errors + "\n    " + line);
            }
            n.fieldNames().forEachRemaining(f -> {
                JsonNode v = n.get(f);
                if (v.isObject()) {
                    v.fieldNames().forEachRemaining(g -> seen.add(f + "." + g));
                    for (JsonNode a : v.path("answers")) {
                        a.fieldNames().forEachRemaining(g -> seen.add(f + ".answers." + g));
                    }
                } else {
                    seen.add(f);
                }
            });
        }

        int total() {
            return perType.values().stream().mapToInt(Integer::intValue).sum();
        }

        Set<String> unseen(Set<String> declared) {
            Set<String> out = new TreeSet<>(declared);
            out.removeAll(seen);
            return out;
        }
    }
}
