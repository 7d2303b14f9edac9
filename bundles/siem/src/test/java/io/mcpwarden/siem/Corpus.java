package io.mcpwarden.siem;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.pipeline.internal.Pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the real pipeline over a corpus capture into a sink, and the expectations the tests share. */
final class Corpus {
    static Path p1() {
        Path p = Path.of(System.getProperty("warden.shared", "/work/shared"), "corpus", "mcp", "P1.pcap");
        if (!Files.exists(p)) {
            throw new AssertionError("corpus capture missing: " + p + " (set -Dwarden.shared)");
        }
        return p;
    }

    /** Runs the pipeline over P1 into {@code sink} and returns the events it produced, in order. */
    static List<WardenEvent> runP1(EventSink sink) throws Exception {
        List<WardenEvent> seen = new ArrayList<>();
        EventSink tee = new EventSink() {
            @Override
            public void accept(WardenEvent e) {
                seen.add(e);
                sink.accept(e);
            }
        };
        new Pipeline(tee, InspectOptions.DEFAULTS).run(CaptureFiles.open(p1()), RunControl.NONE);
        return seen;
    }

    /** Policy and rule events the pipeline does not make, with characters that need escaping. */
    static List<WardenEvent> extras(FlowRef flow, long ts) {
        return List.of(
                new VerdictEvent(ts, flow, "block", "deny \"unapproved\" ]servers[ a|b=c\\d", "high",
                        "server not in registry\nsecond line", "h1", "api.evil.test:443/mcp", "mcp"),
                new VerdictEvent(ts + 1, flow, "alert", "watch-list", "medium", "watched", "h1", "watched.test",
                        "dns"),
                new RulesEvent(ts + 2, "rejected", "h0", 3, "policy/a.drl", 7, 12, "unexpected token '='"));
    }

    /** The key fields the {@code mcpwarden@32473} SD element must carry (besides seq and instance). */
    static Map<String, String> expectedSd(WardenEvent e) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("event_type", e.eventType());
        FlowRef f = e.flow();
        if (f != null) {
            m.put("flow_id", Long.toString(f.flowId()));
            m.put("src_ip", f.srcIp());
            m.put("src_port", Integer.toString(f.srcPort()));
            m.put("dest_ip", f.destIp());
            m.put("dest_port", Integer.toString(f.destPort()));
            m.put("proto", f.proto());
        }
        if (e instanceof McpEvent mcp) {
            put(m, "endpoint", mcp.endpoint());
            put(m, "server_name", mcp.serverName());
            put(m, "client_name", mcp.clientName());
            put(m, "session_id", mcp.sessionId());
        } else if (e instanceof VerdictEvent v) {
            put(m, "action", v.action());
            put(m, "rule", v.rule());
            put(m, "severity", v.severity());
            put(m, "mcp".equals(v.subjectType()) ? "endpoint" : "subject", v.subject());
        } else if (e instanceof RulesEvent r) {
            put(m, "action", r.action());
            put(m, "ruleset", r.ruleset());
        }
        return m;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    static int expectedSeverity(WardenEvent e) {
        if (e instanceof VerdictEvent v) {
            return switch (v.action()) {
                case "block" -> "critical".equals(v.severity()) ? 2 : "high".equals(v.severity()) ? 3 : 4;
                case "alert" -> 5;
                default -> 6;
            };
        }
        return e instanceof RulesEvent r && "rejected".equals(r.action()) ? 3 : 6;
    }

    static String expectedMsgId(WardenEvent e) {
        return e.eventType().toUpperCase(java.util.Locale.ROOT);
    }
}
