package io.mcpwarden.siem.internal;

import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.siem.Format;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageFormatterTest {
    static final FlowRef FLOW = new FlowRef(7, "1:abc", "10.0.0.1", 40000, "10.0.0.2", 443, "TCP");

    @Test
    void sdParamEscapingPerRfc5424() {
        StringBuilder b = new StringBuilder();
        MessageFormatter.param(b, "rule", "a\"b\\c]d[e=f");
        assertEquals(" rule=\"a\\\"b\\\\c\\]d[e=f\"", b.toString());
    }

    @Test
    void cefEscaping() {
        StringBuilder h = new StringBuilder();
        MessageFormatter.cefHeaderField(h, "a|b\\c=d\ne");
        assertEquals("a\\|b\\\\c=d e", h.toString());
        StringBuilder x = new StringBuilder("|");
        MessageFormatter.ext(x, "msg", "a=b\\c|d\ne\rf");
        assertEquals("|msg=a\\=b\\\\c|d\\ne\\rf", x.toString());
    }

    @Test
    void headerPriTimestampAndMsg() {
        MessageFormatter f = new MessageFormatter(Format.RFC5424, 16, "host name", "mcp-warden", 42, "inst", "0.1.0");
        VerdictEvent v = new VerdictEvent(1_795_000_000_123_456L, FLOW, "block", "r1", "critical", "why", "h",
                "x:1/mcp", "mcp");
        String s = new String(f.format(v, 9, 0), StandardCharsets.UTF_8);
        assertTrue(s.startsWith("<130>1 2026-11-18T"), s); // local0 (16) * 8 + critical (2)
        assertTrue(s.contains(".123456Z host_name mcp-warden 42 VERDICT [mcpwarden@32473 seq=\"9\" instance=\"inst\""), s);
        assertTrue(s.endsWith("] " + EveJsonSink.toJson(v)), s);
        assertEquals(3, Severity.of(new RulesEvent(0, "rejected", "h", 0, null, 0, 0, "m")));
        assertEquals(6, Severity.of(new RulesEvent(0, "loaded", "h", 0, null, 0, 0, null)));
        assertEquals(5, Severity.of(new VerdictEvent(0, FLOW, "alert", "r", "low", "", "", "", "dns")));
        assertEquals(4, Severity.of(new VerdictEvent(0, FLOW, "block", "r", "low", "", "", "", "dns")));
        assertEquals(6, Severity.of(new VerdictEvent(0, FLOW, "allow", "r", "low", "", "", "", "dns")));
    }

    @Test
    void udpTruncationIsMarkedAndKeepsUtf8() {
        MessageFormatter f = new MessageFormatter(Format.RFC5424, 16, "h", "mcp-warden", 1, "i", "0.1.0");
        String big = "é".repeat(3000);
        McpEvent m = new McpEvent(1, FLOW, "streamable-http", "x:1/mcp", null, "initialize", "2025-06-18",
                "2025-06-18", big, "1", "srv", "1", "sid", List.of(), false, List.of(), null, List.of(), List.of());
        byte[] full = f.format(m, 1, 0);
        byte[] cut = f.format(m, 1, 2048);
        assertTrue(full.length > 2048);
        assertTrue(cut.length <= 2048 && cut.length > 1900, "length " + cut.length);
        String s = new String(cut, StandardCharsets.UTF_8);
        assertTrue(!s.contains("\uFFFD"), "no broken UTF-8");
        int msgLen = EveJsonSink.toJson(m).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(s.contains(" truncated=\"" + msgLen + "\"]"), s.substring(0, 200));
        assertTrue(s.contains("seq=\"1\""));
    }
}
