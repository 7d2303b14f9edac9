package io.mcpwarden.rules;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.pipeline.internal.Pipeline;
import io.mcpwarden.policy.Policy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The labelled corpus through the real pipeline, judged by the shipped rules with the example registry. */
class CorpusVerdictsTest {
    static final Path CORPUS = Path.of(System.getProperty("warden.shared", "../../shared"), "corpus", "mcp");

    record Judged(List<WardenEvent> events, List<VerdictEvent> verdicts) {
        List<VerdictEvent> about(String type) {
            return verdicts.stream().filter(v -> v.subjectType().equals(type)).toList();
        }

        boolean has(String type, String action, String rule, String subjectPart) {
            return verdicts.stream().anyMatch(v -> v.subjectType().equals(type) && v.action().equals(action)
                    && v.rule().equals(rule) && v.subject().contains(subjectPart));
        }
    }

    static Judged run(String id) throws Exception {
        Path pcap = CORPUS.resolve(id + ".pcap");
        Assumptions.assumeTrue(Files.isRegularFile(pcap), "corpus not found at " + CORPUS.toAbsolutePath());
        List<WardenEvent> events = new ArrayList<>();
        EventSink sink = events::add;
        try (PacketSource src = CaptureFiles.open(pcap)) {
            new Pipeline(sink, InspectOptions.DEFAULTS).run(src, RunControl.NONE);
        }
        List<VerdictEvent> verdicts = new ArrayList<>();
        try (Policy p = RulePack.open()) {
            for (WardenEvent e : events) {
                verdicts.addAll(p.judge(e));
            }
        }
        return new Judged(events, verdicts);
    }

    static String describe(Judged j) {
        StringBuilder b = new StringBuilder();
        j.verdicts().forEach(v -> b.append("\n  ").append(v.subjectType()).append(' ').append(v.action()).append(' ')
                .append(v.rule()).append(' ').append(v.subject()));
        j.events().stream().filter(e -> e instanceof McpEvent).forEach(e -> b.append("\n  event ").append(e));
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1", "P2"})
    void registeredServersAreAllowed(String id) throws Exception {
        Judged j = run(id);
        List<VerdictEvent> mcp = j.about("mcp");
        assertFalse(mcp.isEmpty(), id + ": no MCP verdict" + describe(j));
        assertTrue(mcp.stream().allMatch(v -> !v.action().equals("block")), id + describe(j));
        assertTrue(j.has("mcp", "allow", "registered-mcp-server", ".approved-mcp.test"), id + describe(j));
        assertTrue(j.verdicts().stream().noneMatch(v -> v.action().equals("block")), id + describe(j));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P5", "P11"})
    void plaintextShadowServersAreBlocked(String id) throws Exception {
        Judged j = run(id);
        assertTrue(j.has("mcp", "block", "shadow-mcp-server", ".devbox.test"), id + describe(j));
        assertTrue(j.has("mcp", "alert", "new-mcp-server", ".devbox.test"), id + describe(j));
        assertTrue(j.about("mcp").stream().noneMatch(v -> v.action().equals("allow")), id + describe(j));
    }

    @org.junit.jupiter.api.Test
    void encryptedShadowServerIsFlagged() throws Exception {
        Judged j = run("P3");
        assertTrue(j.has("tls", "alert", "mcp-like-tls-name", "shadow-tools.test"), describe(j));
        assertTrue(j.events().stream().anyMatch(e -> e instanceof McpEvent m && m.encrypted()), describe(j));
        assertTrue(j.has("mcp", "block", "shadow-mcp-server", "shadow-tools.test"), describe(j));
        assertTrue(j.verdicts().stream().noneMatch(v -> v.action().equals("allow")), describe(j));
    }

    @ParameterizedTest
    @ValueSource(strings = {"N1", "N2", "N4", "N5", "N8"})
    void negativesGiveNoMcpVerdict(String id) throws Exception {
        Judged j = run(id);
        assertTrue(j.about("mcp").isEmpty(), id + describe(j));
        assertTrue(j.verdicts().stream().noneMatch(v -> v.action().equals("block")), id + describe(j));
    }
}
