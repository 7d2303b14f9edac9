package io.mcpwarden.runtime;

import io.mcpwarden.capture.CaptureStatus;
import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.pipeline.InspectionService;
import io.mcpwarden.pipeline.InspectionSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inspect command's outcomes with real capture files. The pipeline is replaced by small services that
 * count packets (or fail): the command, not the pipeline, is under test here.
 */
class InspectCommandTest {
    static final Path CORPUS = Path.of(System.getProperty("warden.shared", "/work/shared"), "corpus", "mcp");

    @TempDir
    Path tmp;

    /** Reads every packet and reports how the source ended; emits no events. */
    static final InspectionService COUNTING = (source, sink, options, control) -> {
        PacketRecord r = new PacketRecord();
        long packets = 0;
        long bytes = 0;
        try {
            while (source.next(r)) {
                packets++;
                bytes += r.caplen;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sink.flush();
        return new InspectionSummary(packets, bytes, source.position(), source.size(), 0, Map.of(), 1_000_000,
                source.status(), Map.of());
    };

    static final InspectionService BROKEN = (source, sink, options, control) -> {
        throw new IllegalStateException("bug in the pipeline");
    };

    private Path capture() throws IOException {
        Path p = tmp.resolve("in").resolve("P1.pcap");
        Files.createDirectories(p.getParent());
        Files.copy(CORPUS.resolve("P1.pcap"), p);
        return p;
    }

    @Test
    void notACaptureExits2WithTheOffset() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.pcap"), "this is not a capture file at all");
        TestEnv t = new TestEnv(COUNTING, tmp);
        assertEquals(ExitCodes.NOT_A_CAPTURE, t.run("inspect", "--pcap", junk.toString()));
        assertTrue(t.err().contains("not a capture") && t.err().contains("offset"), t.err());
        assertEquals(1, t.err().lines().count(), t.err());
    }

    @Test
    void missingFileExits1() {
        TestEnv t = new TestEnv(COUNTING, tmp);
        assertEquals(ExitCodes.IO_ERROR, t.run("inspect", "--pcap", tmp.resolve("nope.pcap").toString()));
        assertTrue(t.err().contains("cannot read: no such file"), t.err());
    }

    @Test
    void goodCaptureExits0WithSummaryOnStderrOnly() throws IOException {
        Path p = capture();
        TestEnv t = new TestEnv(COUNTING, tmp);
        assertEquals(ExitCodes.OK, t.run("inspect", "--pcap", p.toString()));
        assertTrue(t.err().startsWith("inspect: P1.pcap: "), t.err());
        assertTrue(t.err().contains("status ok"), t.err());
        assertEquals("", t.out(), "human output must not go to stdout");
    }

    @Test
    void truncatedCaptureWarnsWithOffsetAndExits0() throws IOException {
        byte[] whole = Files.readAllBytes(CORPUS.resolve("P1.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 10));
        TestEnv t = new TestEnv(COUNTING, tmp);
        assertEquals(ExitCodes.OK, t.run("inspect", "--pcap", cut.toString()));
        assertTrue(t.err().contains("status truncated"), t.err());
        assertTrue(t.err().contains("warning: capture truncated at offset "), t.err());
    }

    @Test
    void unexpectedPipelineExceptionExits3() throws IOException {
        TestEnv t = new TestEnv(BROKEN, tmp);
        assertEquals(ExitCodes.INTERNAL, t.run("inspect", "--pcap", capture().toString()));
        assertTrue(t.err().contains("bug in the pipeline"), t.err());
    }

    @Test
    void batchWritesOneFilePerCaptureAndASummaryInNameOrder() throws IOException {
        Path in = capture().getParent();
        Files.copy(CORPUS.resolve("N1.pcap"), in.resolve("N1.pcapng"));
        Files.writeString(in.resolve("junk.cap"), "nope");
        Files.writeString(in.resolve("notes.txt"), "ignored: not a capture name");
        Path out = tmp.resolve("out");
        TestEnv t = new TestEnv(COUNTING, tmp);
        assertEquals(ExitCodes.NOT_A_CAPTURE,
                t.run("inspect", "--pcap-dir", in.toString(), "--events-dir", out.toString(), "--jobs", "2"));
        assertTrue(Files.exists(out.resolve("P1.jsonl")));
        assertTrue(Files.exists(out.resolve("N1.jsonl")));
        assertFalse(Files.exists(out.resolve("junk.jsonl")));
        String summary = Files.readString(out.resolve("summary.json"), StandardCharsets.UTF_8);
        int n1 = summary.indexOf("\"N1.pcapng\"");
        int p1 = summary.indexOf("\"P1.pcap\"");
        int junk = summary.indexOf("\"junk.cap\"");
        assertTrue(n1 >= 0 && n1 < p1 && p1 < junk, summary);
        assertTrue(summary.contains("\"not-a-capture\""), summary);
        assertFalse(summary.contains("notes.txt"), summary);
        assertTrue(summary.matches("(?s).*\"P1.pcap\",\\s*\"status\" : \"ok\",\\s*\"packets\" : 55,\\s*\"events\" : \\d+,"
                + "\\s*\"seconds\" : \\d+\\.\\d+,.*"), summary);
        assertTrue(t.err().matches("(?s).*inspect: P1.pcap: ok, 55 packets, \\d+ events, \\d+\\.\\d\\d s\n.*"), t.err());
    }

    @Test
    void batchRecordsFailedFilesContinuesAndExits3() throws IOException {
        Path in = capture().getParent();
        Files.copy(CORPUS.resolve("N1.pcap"), in.resolve("N1.pcap"));
        Path out = tmp.resolve("out");
        TestEnv t = new TestEnv(BROKEN, tmp);
        assertEquals(ExitCodes.INTERNAL, t.run("inspect", "--pcap-dir", in.toString(), "--events-dir", out.toString()));
        String summary = Files.readString(out.resolve("summary.json"));
        assertEquals(2, summary.split("\"failed\"", -1).length - 1, summary);
        assertTrue(summary.contains("bug in the pipeline"), summary);
    }

    /** Emits one DNS query per packet (named after its number), then flushes. */
    static final InspectionService QUERIES = (source, sink, options, control) -> {
        PacketRecord r = new PacketRecord();
        long packets = 0;
        try {
            while (source.next(r)) {
                packets++;
                sink.accept(JudgingSinkTest.dns("p" + packets + ".test"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sink.flush();
        return new InspectionSummary(packets, 0, source.position(), source.size(), 0, Map.of("dns", packets),
                1_000_000, source.status(), Map.of());
    };

    /** A policy service whose open takes a while and then gives {@code policy}, or throws when it is null. */
    static io.mcpwarden.policy.PolicyService slowService(io.mcpwarden.policy.Policy policy) {
        return new io.mcpwarden.policy.PolicyService() {
            @Override
            public io.mcpwarden.policy.Policy open(io.mcpwarden.policy.PolicyConfig config) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (policy == null) {
                    throw new IllegalStateException("the rule engine is broken");
                }
                return policy;
            }

            @Override
            public io.mcpwarden.policy.RuleCheck check(Path rulesDir) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.mcpwarden.policy.RegistryCheck checkRegistry(Path registryFile) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.mcpwarden.policy.Registry readRegistry(Path registryFile) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void eventsReadWhileTheRulesCompileAreJudgedInOrder() throws IOException {
        Files.createDirectories(tmp.resolve("rules"));
        Path events = tmp.resolve("out.jsonl");
        TestEnv t = new TestEnv(QUERIES, tmp);
        t.env.withPolicyService(slowService(new JudgingSinkTest.StubPolicy()));
        assertEquals(ExitCodes.OK, t.run("inspect", "--pcap", capture().toString(), "--events", events.toString()));
        List<String> lines = Files.readAllLines(events);
        assertEquals(1 + 2 * 55, lines.size(), "the rules event, then each of the 55 queries and its verdict");
        assertTrue(lines.get(0).contains("\"event_type\":\"rules\""), lines.get(0));
        for (int i = 1; i <= 55; i++) {
            assertTrue(lines.get(2 * i - 1).contains("\"rrname\":\"p" + i + ".test\""), lines.get(2 * i - 1));
            assertTrue(lines.get(2 * i).contains("\"event_type\":\"verdict\"")
                    && lines.get(2 * i).contains("\"subject\":\"p" + i + ".test\""), lines.get(2 * i));
        }
        assertTrue(t.err().startsWith("inspect: rules " + tmp.resolve("rules") + ": 1 rules"), t.err());
    }

    @Test
    void rulesThatCannotBeOpenedExit3AndTheEventsAreWrittenUnjudged() throws IOException {
        Files.createDirectories(tmp.resolve("rules"));
        Path events = tmp.resolve("out.jsonl");
        TestEnv t = new TestEnv(QUERIES, tmp);
        t.env.withPolicyService(slowService(null));
        assertEquals(ExitCodes.INTERNAL, t.run("inspect", "--pcap", capture().toString(), "--events",
                events.toString()));
        assertEquals(55, Files.readAllLines(events).size());
        assertTrue(t.err().contains("the rules could not be opened") && t.err().contains("the rule engine is broken"),
                t.err());
    }

    @Test
    void batchOutputNamesDropTheExtensionUnlessTwoCapturesShareIt() {
        Map<String, String> n = BatchInspection.outputNames(List.of("a.pcap", "a.pcapng", "b.cap"));
        assertEquals("a.pcap.jsonl", n.get("a.pcap"));
        assertEquals("a.pcapng.jsonl", n.get("a.pcapng"));
        assertEquals("b.jsonl", n.get("b.cap"));
        assertTrue(BatchInspection.isCaptureName("X.PCAPNG"));
        assertFalse(BatchInspection.isCaptureName(".pcap"));
        assertFalse(BatchInspection.isCaptureName("a.pcap.gz"));
    }

    @Test
    void summaryLineListsKnownEventTypesInOrderWithoutZeros() {
        InspectionSummary s = new InspectionSummary(412, 20_000, 1, 1, 9,
                Map.of("flow", 9L, "mcp", 1L, "dns", 6L, "http", 12L, "tls", 0L), 210_000_000L, CaptureStatus.OK,
                Map.of());
        assertEquals("inspect: P1.pcap: 412 packets, 0.02 MB, 9 flows, events dns=6 http=12 mcp=1 flow=9, 0.21 s, "
                + "0.00 Gbit/s, status ok", Summaries.line("inspect", "P1.pcap", s));
        assertEquals("none", Summaries.eventCounts(Map.of(), false));
    }

    @Test
    void demoTableShowsOneRowPerSession() {
        var flow = new io.mcpwarden.model.FlowRef(1, "1:x", "10.0.0.1", 4000, "10.0.0.2", 443, "TCP");
        var plain = new io.mcpwarden.model.McpEvent(1, flow, "streamable-http", "api.example:80/mcp", null, "initialize",
                "2025-06-18", "2025-06-18", "claude-code", "1.0.1", "files", "0.3", "s-123", List.of("initialize"),
                false, List.of(), null, List.of(), List.of());
        var tls = new io.mcpwarden.model.McpEvent(2, flow, null, null, null, null, null, null, null, null, null, null,
                null, List.of(), true, List.of("sni"), "mcp.example.com", List.of(), List.of());
        String table = DemoCommand.sessionTable(List.of(plain, tls));
        List<String> lines = table.lines().toList();
        assertEquals(3, lines.size(), table);
        assertTrue(lines.get(0).startsWith("CLIENT"), table);
        List<String> row1 = List.of(lines.get(1).trim().split("\\s{2,}"));
        List<String> row2 = List.of(lines.get(2).trim().split("\\s{2,}"));
        assertEquals(List.of("claude-code/1.0.1", "files/0.3", "streamable-http", "2025-06-18", "api.example:80/mcp",
                "s-123", "no", "-"), row1, table);
        assertTrue(row2.contains("mcp.example.com") && row2.get(6).equals("yes"), table);
    }

}
