package io.mcpwarden.siem;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CEF over syslog to a real rsyslog: each MSG parsed back with a strict grammar and unescaped. */
class CefTest {
    /** CEF:0 and seven header fields; in the header only {@code \|} and {@code \\} are escapes. */
    static final Pattern HEADER = Pattern.compile(
            "^CEF:0\\|((?:[^|\\\\]|\\\\[|\\\\])*)\\|((?:[^|\\\\]|\\\\[|\\\\])*)\\|((?:[^|\\\\]|\\\\[|\\\\])*)"
                    + "\\|((?:[^|\\\\]|\\\\[|\\\\])+)\\|((?:[^|\\\\]|\\\\[|\\\\])+)\\|(10|[0-9])\\|(.*)$");

    @TempDir
    Path tmp;

    @BeforeAll
    static void rsyslog() {
        Rsyslog.assumeInstalled();
    }

    @Test
    void corpusAsCef() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), null).start()) {
            SyslogDestination d = SyslogDestination.parse("tcp://127.0.0.1:" + r.tcpPort + "?format=cef");
            SiemExporter x = SiemExporter.start(List.of(d), DeliveryTest.options(tmp.resolve("spool")));
            List<WardenEvent> events = DeliveryTest.produce(x);
            DeliveryReport rep = x.close(Duration.ofSeconds(10));
            assertTrue(rep.complete(), rep.toString());
            List<String> lines = r.await(events.size(), Duration.ofSeconds(10));
            assertEquals(events.size(), lines.size());
            Map<Long, Rsyslog.Line> bySeq = new HashMap<>();
            for (String s : lines) {
                Rsyslog.Line l = Rsyslog.Line.parse(s);
                JsonNode sd = DeliveryTest.JSON.readTree(l.sdJson()).get("mcpwarden@32473");
                bySeq.put(Long.parseLong(sd.get("seq").asText()), l);
            }
            for (int i = 0; i < events.size(); i++) {
                WardenEvent e = events.get(i);
                Rsyslog.Line l = bySeq.get(i + 1L);
                assertEquals(16 * 8 + Corpus.expectedSeverity(e), l.pri());
                Matcher m = HEADER.matcher(l.msg());
                assertTrue(m.matches(), "not a CEF:0 record: " + l.msg());
                assertEquals("MCP Warden", unescapeHeader(m.group(1)));
                assertEquals("mcp-warden", unescapeHeader(m.group(2)));
                assertTrue(unescapeHeader(m.group(3)).matches("\\d+\\.\\d+\\.\\d+.*"), m.group(3));
                Map<String, String> ext = extensions(m.group(7));
                assertEquals(Long.toString(i + 1L), ext.get("cn1"), "seq");
                assertEquals(x.instance(d.name()), ext.get("deviceExternalId"));
                assertEquals(Long.toString(e.tsMicros() / 1000), ext.get("rt"));
                assertEquals(e.eventType(), ext.get("cat"));
                FlowRef f = e.flow();
                if (f != null) {
                    assertEquals(f.srcIp(), ext.get("src"));
                    assertEquals(Integer.toString(f.srcPort()), ext.get("spt"));
                    assertEquals(f.destIp(), ext.get("dst"));
                    assertEquals(Integer.toString(f.destPort()), ext.get("dpt"));
                    assertEquals(f.proto(), ext.get("proto"));
                }
                int cefSev = Integer.parseInt(m.group(6));
                assertEquals(switch (Corpus.expectedSeverity(e)) {
                    case 2 -> 10;
                    case 3 -> 8;
                    case 4 -> 7;
                    case 5 -> 5;
                    default -> 3;
                }, cefSev);
                if (e instanceof McpEvent mcp) {
                    assertEquals(mcp.encrypted() ? "mcp-encrypted" : "mcp-session", unescapeHeader(m.group(4)));
                    assertEquals(mcp.endpoint(), ext.get("cs1"));
                    assertEquals("mcpEndpoint", ext.get("cs1Label"));
                    assertEquals(mcp.sessionId(), ext.get("cs2"));
                    assertEquals(mcp.clientName(), ext.get("cs3"));
                    assertEquals(mcp.serverName(), ext.get("cs4"));
                } else if (e instanceof VerdictEvent v) {
                    assertEquals("verdict:" + v.rule(), unescapeHeader(m.group(4)), "signature id round trip");
                    assertEquals(v.reason().replace('\n', ' '), unescapeHeader(m.group(5)));
                    assertEquals(v.action(), ext.get("act"));
                    assertEquals(v.rule(), ext.get("cs5"), "rule with = \\ | round trip");
                    assertEquals(v.reason(), ext.get("msg"), "newline round trip");
                } else if (e instanceof RulesEvent rr) {
                    assertEquals("rules-rejected", unescapeHeader(m.group(4)));
                    assertEquals(rr.message(), ext.get("msg"));
                    assertEquals(rr.file(), ext.get("fname"));
                }
            }
            assertTrue(events.stream().anyMatch(e -> e instanceof McpEvent), "corpus has an MCP session");
        }
    }

    static String unescapeHeader(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Strict extension parser: {@code key=value} separated by single spaces; in values {@code \\}, {@code \=},
     * {@code \n}, {@code \r} are the only escapes and an unescaped {@code =} is an error (except where a new key
     * starts after a space).
     */
    static Map<String, String> extensions(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        Pattern keyAt = Pattern.compile("[A-Za-z0-9_]+=");
        int i = 0;
        while (i < s.length()) {
            Matcher k = keyAt.matcher(s).region(i, s.length());
            assertTrue(k.lookingAt(), "no key at " + i + ": " + s);
            String key = s.substring(i, k.end() - 1);
            i = k.end();
            StringBuilder v = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    assertTrue(i + 1 < s.length(), "dangling backslash: " + s);
                    char n = s.charAt(++i);
                    switch (n) {
                        case '\\' -> v.append('\\');
                        case '=' -> v.append('=');
                        case 'n' -> v.append('\n');
                        case 'r' -> v.append('\r');
                        default -> throw new AssertionError("bad escape \\" + n + " in " + s);
                    }
                    i++;
                } else if (c == ' ' && keyAt.matcher(s).region(i + 1, s.length()).lookingAt()) {
                    i++;
                    break;
                } else {
                    assertTrue(c != '=', "unescaped = in value of " + key + ": " + s);
                    assertTrue(c != '\n' && c != '\r', "raw line break in " + s);
                    v.append(c);
                    i++;
                }
            }
            assertTrue(m.put(key, v.toString()) == null, "duplicate key " + key);
        }
        return m;
    }

    static List<String> keys(String ext) {
        return new ArrayList<>(extensions(ext).keySet());
    }
}
