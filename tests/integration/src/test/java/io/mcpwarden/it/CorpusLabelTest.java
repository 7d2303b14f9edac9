package io.mcpwarden.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The corpus labels: every expected mcp event (wire-visible, no TLS keys) must have a produced mcp
 * event on the same direction-free 5-tuple with the same transport, protocol_version, client_name,
 * client_version, server_name, session_id (case-insensitive) and endpoint; captures labelled
 * is_mcp=false must produce no mcp event at all. Then the shared scorer must report recall 1.000, fp 0.
 */
class CorpusLabelTest {
    static final List<String> FIELDS =
            List.of("transport", "protocol_version", "client_name", "client_version", "server_name", "session_id", "endpoint");

    @TestFactory
    Stream<DynamicTest> labelled_mcp_sessions() {
        return Harness.files(Harness.corpus(), ".json").stream()
                .filter(p -> Files.isRegularFile(pcapOf(p)))
                .map(label -> DynamicTest.dynamicTest(label.getFileName().toString(), () -> checkLabel(label)));
    }

    @Test
    void shared_scorer_reports_full_recall_and_no_false_positive() throws IOException {
        Path corpus = Harness.corpus();
        Path scorer = Harness.shared().resolve("eval/score.py");
        assertTrue(Files.isRegularFile(scorer), "scorer not found: " + scorer);
        List<String> failures = new ArrayList<>();
        for (Path label : Harness.files(corpus, ".json")) {
            Path pcap = pcapOf(label);
            if (Files.isRegularFile(pcap) && !Inspect.of(pcap).run().ok()) {
                failures.add(pcap.getFileName() + ": " + Inspect.of(pcap).run().describe());
            }
        }
        Harness.Run run = Harness.run(List.of("python3", scorer.toString(), "--labels", corpus.toString(),
                        "--events", Inspect.outDir().toString()),
                Map.of(), Harness.root(), Duration.ofSeconds(120), Harness.work("logs").resolve("score.log"));
        if (!run.ok()) {
            fail("score.py failed: " + run.describe());
        }
        String scoreLine = run.output().lines().filter(l -> l.startsWith("SCORE ")).reduce((a, b) -> b).orElse(null);
        System.out.println("[score] " + run.output().lines().filter(l -> !l.isBlank()).count() + " lines, full output in "
                + run.log() + "\n" + scoreLine);
        if (scoreLine == null) {
            fail("score.py printed no SCORE line:\n" + run.tail(30));
        }
        Map<String, String> score = parseScore(scoreLine);
        String context = "\n" + scoreLine + (failures.isEmpty() ? "" : "\nwarden inspect failures:\n" + String.join("\n", failures));
        assertAll("shared scorer",
                () -> assertEquals("1.000", score.get("recall"), "recall of labelled MCP sessions" + context),
                () -> assertEquals("0", score.get("fp"), "false-positive mcp events on negative captures" + context));
    }

    private static void checkLabel(Path labelFile) throws IOException {
        JsonNode label = Harness.JSON.readTree(labelFile.toFile());
        Path pcap = pcapOf(labelFile);
        List<JsonNode> produced = Harness.ofType(Inspect.events(pcap), "mcp");
        String name = label.path("scenario").asText(labelFile.getFileName().toString());

        if (!label.path("is_mcp").asBoolean()) {
            assertTrue(produced.isEmpty(), name + " is labelled is_mcp=false but warden reported " + produced.size()
                    + " mcp event(s): " + produced);
            System.out.printf("[labels] %s: negative, no mcp event%n", name);
            return;
        }
        List<JsonNode> expected = new ArrayList<>();
        label.path("expected_events").forEach(e -> {
            if ("mcp".equals(Harness.text(e, "event_type"))) {
                expected.add(e);
            }
        });
        List<Executable> checks = new ArrayList<>();
        for (JsonNode exp : expected) {
            String flow = flowKey(exp);
            checks.add(() -> {
                List<JsonNode> onFlow = produced.stream().filter(p -> flow.equals(flowKey(p))).toList();
                assertFalse(onFlow.isEmpty(), name + ": no mcp event on flow " + flow + " (expected "
                        + exp.path("mcp").path("transport").asText() + " session " + Harness.text(exp, "mcp.session_id")
                        + "); mcp events produced on flows " + produced.stream().map(CorpusLabelTest::flowKey).toList());
                JsonNode best = onFlow.stream().max((a, b) -> Integer.compare(agreement(exp, a), agreement(exp, b))).get();
                List<Executable> fieldChecks = new ArrayList<>();
                for (String f : FIELDS) {
                    fieldChecks.add(() -> assertEquals(NORMALISE.get(f).apply(exp, Harness.text(exp, "mcp." + f)),
                            NORMALISE.get(f).apply(best, Harness.text(best, "mcp." + f)),
                            name + " flow " + flow + ": mcp." + f + " (label " + Harness.text(exp, "mcp." + f)
                                    + ", warden " + Harness.text(best, "mcp." + f) + ")"));
                }
                assertAll(name + " mcp event on " + flow, fieldChecks);
            });
        }
        System.out.printf("[labels] %s: %d expected mcp event(s), %d produced%n", name, expected.size(), produced.size());
        assertAll(name, checks);
    }

    /** Field normalisations of the shared scorer: trimmed strings, case-free session ids, endpoint parts. */
    static final Map<String, BiFunction<JsonNode, String, Object>> NORMALISE = new LinkedHashMap<>();

    static {
        BiFunction<JsonNode, String, Object> plain = (e, v) -> v == null ? null : v.trim();
        FIELDS.forEach(f -> NORMALISE.put(f, plain));
        NORMALISE.put("session_id", (e, v) -> v == null ? null : v.trim().toLowerCase(Locale.ROOT));
        NORMALISE.put("endpoint", CorpusLabelTest::endpoint);
    }

    private static final Pattern PORT = Pattern.compile(":(\\d+)$");

    /** "http://Host:3001/mcp?x" / "host:3001/mcp" / "host/mcp" -> "host:3001/mcp" (port defaults to dest_port). */
    static Object endpoint(JsonNode event, String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim().replaceFirst("(?i)^[a-z]+://", "");
        int slash = s.indexOf('/');
        String hostPort = slash < 0 ? s : s.substring(0, slash);
        String path = "/" + (slash < 0 ? "" : s.substring(slash + 1)).split("[?#]", 2)[0];
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Matcher m = PORT.matcher(hostPort);
        String port = m.find() ? m.group(1) : Harness.text(event, "dest_port");
        return Harness.host(hostPort) + ":" + port + path;
    }

    static int agreement(JsonNode exp, JsonNode prod) {
        int n = 0;
        for (String f : FIELDS) {
            if (Objects.equals(NORMALISE.get(f).apply(exp, Harness.text(exp, "mcp." + f)),
                    NORMALISE.get(f).apply(prod, Harness.text(prod, "mcp." + f)))) {
                n++;
            }
        }
        return n;
    }

    /** Direction-free 5-tuple, e.g. "TCP 10.20.0.10:45064 203.0.113.10:3001". */
    static String flowKey(JsonNode e) {
        Set<String> ends = new TreeSet<>(List.of(Harness.text(e, "src_ip") + ":" + Harness.text(e, "src_port"),
                Harness.text(e, "dest_ip") + ":" + Harness.text(e, "dest_port")));
        String proto = Harness.text(e, "proto");
        return (proto == null ? "TCP" : proto.toUpperCase(Locale.ROOT)) + " " + String.join(" ", ends);
    }

    static Path pcapOf(Path label) {
        return label.resolveSibling(label.getFileName().toString().replaceFirst("\\.json$", ".pcap"));
    }

    static Map<String, String> parseScore(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.substring("SCORE ".length()).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }
}
