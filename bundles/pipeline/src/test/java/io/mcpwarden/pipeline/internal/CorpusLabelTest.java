package io.mcpwarden.pipeline.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.TlsEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every labelled capture of the corpus through the real pipeline, compared with its label: every MCP
 * session found with the labelled fields, no mcp event on negatives, DNS / TLS / HTTP facts present.
 */
class CorpusLabelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyLabelledCapture() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Corpus.MCP), "corpus not present at " + Corpus.MCP);
        List<Path> labels;
        try (Stream<Path> s = Files.list(Corpus.MCP)) {
            labels = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(labels.isEmpty());
        return labels.stream().map(l -> DynamicTest.dynamicTest(l.getFileName().toString(), () -> check(l)));
    }

    private static void check(Path labelFile) throws IOException {
        JsonNode label = JSON.readTree(labelFile.toFile());
        Path pcap = labelFile.resolveSibling(label.path("pcap").asText());
        Corpus.Run run = Corpus.inspect(pcap);
        assertEquals("ok", run.summary().status().state(), "capture status");
        List<McpEvent> plain = run.of(McpEvent.class).stream().filter(m -> !m.encrypted()).toList();
        List<McpEvent> encrypted = run.of(McpEvent.class).stream().filter(McpEvent::encrypted).toList();
        List<JsonNode> expected = new ArrayList<>();
        label.path("expected_events").forEach(e -> {
            if ("mcp".equals(e.path("event_type").asText())) {
                expected.add(e);
            }
        });
        if (!label.path("is_mcp").asBoolean()) {
            assertEquals(List.of(), run.of(McpEvent.class), "negative capture must give no mcp event");
        } else {
            assertEquals(expected.size(), plain.size(), "plaintext MCP sessions: " + plain);
            for (JsonNode e : expected) {
                McpEvent got = plain.stream().filter(m -> sameFlow(m, e)).findFirst()
                        .orElseThrow(() -> new AssertionError("no mcp event on the flow of " + e));
                JsonNode m = e.path("mcp");
                assertEquals(text(m, "transport"), got.transport(), "transport");
                assertEquals(text(m, "protocol_version"), got.protocolVersion(), "protocol_version");
                assertEquals(text(m, "client_protocol_version"), got.clientProtocolVersion(), "client_protocol_version");
                assertEquals(text(m, "client_name"), got.clientName(), "client_name");
                assertEquals(text(m, "client_version"), got.clientVersion(), "client_version");
                assertEquals(text(m, "server_name"), got.serverName(), "server_name");
                assertEquals(text(m, "server_version"), got.serverVersion(), "server_version");
                assertEquals(lower(text(m, "session_id")), lower(got.sessionId()), "session_id");
                assertEquals(text(m, "endpoint"), got.endpoint(), "endpoint");
                if (m.has("message_endpoint")) {
                    assertEquals(text(m, "message_endpoint"), got.messageEndpoint(), "message_endpoint");
                }
            }
            JsonNode enc = label.path("encrypted_mcp_without_decryption");
            if (enc.isObject()) {
                assertEquals(1, encrypted.size(), "one suspected encrypted MCP endpoint: " + encrypted);
                String sni = enc.path("sni").path(0).asText();
                assertEquals(sni, encrypted.get(0).sni());
            } else {
                assertEquals(List.of(), encrypted, "no encrypted suspicion where none is labelled");
            }
        }
        // DNS, TLS and HTTP facts of the label are present on the same flows
        for (JsonNode e : label.path("expected_events")) {
            String type = e.path("event_type").asText();
            switch (type) {
                case "dns" -> assertTrue(run.of(DnsEvent.class).stream().anyMatch(d -> sameFlow(d.flow(), e)
                        && d.type().equals(e.path("dns").path("type").asText())
                        && d.rrname().equalsIgnoreCase(e.path("dns").path("rrname").asText())
                        && d.id() == e.path("dns").path("id").asInt()), "dns event " + e);
                case "tls" -> assertTrue(run.of(TlsEvent.class).stream().anyMatch(t -> sameFlow(t.flow(), e)
                        && Objects.equals(t.sni(), text(e.path("tls"), "sni"))
                        && (text(e.path("tls"), "version") == null
                        || text(e.path("tls"), "version").equals(t.version()))), "tls event " + e);
                case "http" -> assertTrue(run.of(HttpEvent.class).stream().anyMatch(h -> sameFlow(h.flow(), e)
                        && h.url().equals(e.path("http").path("url").asText())
                        && h.method().equals(e.path("http").path("http_method").asText())
                        && h.hostname().equalsIgnoreCase(e.path("http").path("hostname").asText())
                        && (e.path("http").path("status").isNull() || e.path("http").path("status").isMissingNode()
                        || Objects.equals(h.status(), e.path("http").path("status").asInt()))), "http event " + e);
                default -> {
                }
            }
        }
    }

    private static boolean sameFlow(McpEvent m, JsonNode e) {
        return sameFlow(m.flow(), e);
    }

    private static boolean sameFlow(io.mcpwarden.model.FlowRef f, JsonNode e) {
        String a = f.srcIp() + ":" + f.srcPort();
        String b = f.destIp() + ":" + f.destPort();
        String x = e.path("src_ip").asText() + ":" + e.path("src_port").asInt();
        String y = e.path("dest_ip").asText() + ":" + e.path("dest_port").asInt();
        return f.proto().equalsIgnoreCase(e.path("proto").asText()) && (a.equals(x) && b.equals(y) || a.equals(y) && b.equals(x));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
