package io.mcpwarden.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpwarden.events.internal.EveFields;
import io.mcpwarden.model.DnsAnswer;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class EveJsonSinkTest {
    static final FlowRef FLOW = new FlowRef(7, "1:abc=", "10.0.0.1", 40000, "10.0.0.2", 53, "UDP");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timestampsAgreeWithTheJdkFormatterIncludingBeforeTheEpoch() {
        DateTimeFormatter ref = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long micros = r.nextLong() % 4_000_000_000_000_000L;
            if (i % 3 == 0) {
                micros = 1_795_000_000_000_000L + r.nextInt(5_000_000);
            }
            String want = ref.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1000L));
            assertEquals(want, EveFields.timestamp(micros), "micros " + micros);
        }
    }

    @Test
    void oneObjectPerLineWithTheCommonFields() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EveJsonSink sink = new EveJsonSink(out, true)) {
            sink.accept(new DnsEvent(1_795_000_000_123_456L, FLOW.reversed(), "answer", 4660, "api.example.test", "A",
                    "NOERROR", List.of(new DnsAnswer("api.example.test", "A", 60, "192.0.2.1"))));
            sink.accept(new McpEvent(1_795_000_000_200_000L, FLOW, "streamable-http", "h:1/mcp", null, "initialize",
                    "2025-11-25", "2025-11-25", "c", "1", "s", "2", "sid", List.of("initialize"), false,
                    List.of("initialize_request"), null, List.of(), List.of("tools")));
            sink.accept(new VerdictEvent(1_795_000_000_300_000L, FLOW, "block", "shadow-mcp", "high", "not registered",
                    "abc123", "h:1/mcp", "mcp"));
            sink.accept(new RulesEvent(1_795_000_000_400_000L, "rejected", "abc123", 5, "x.drl", 3, 7, "bad"));
            assertEquals(java.util.Map.of("dns", 1L, "mcp", 1L, "verdict", 1L, "rules", 1L), sink.counts());
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        JsonNode dns = JSON.readTree(lines[0]);
        assertEquals("2026-11-18T11:06:40.123456Z", dns.path("timestamp").asText());
        assertEquals("dns", dns.path("event_type").asText());
        assertEquals("10.0.0.2", dns.path("src_ip").asText());
        assertEquals(53, dns.path("src_port").asInt());
        assertEquals("192.0.2.1", dns.path("dns").path("answers").path(0).path("rdata").asText());
        JsonNode mcp = JSON.readTree(lines[1]);
        assertEquals(7, mcp.path("flow_id").asLong());
        assertEquals("1:abc=", mcp.path("community_id").asText());
        assertFalse(mcp.path("mcp").has("message_endpoint"), "nulls are omitted");
        assertFalse(mcp.path("mcp").path("encrypted").asBoolean(true));
        assertEquals("block", JSON.readTree(lines[2]).path("verdict").path("action").asText());
        JsonNode rules = JSON.readTree(lines[3]);
        assertFalse(rules.has("flow_id"));
        assertEquals(3, rules.path("rules").path("line").asInt());
    }

    @Test
    void closeDoesNotCloseAStreamItDoesNotOwn() {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new EveJsonSink(out, false).close();
        assertFalse(closed[0]);
        new EveJsonSink(out, true).close();
        assertTrue(closed[0]);
    }
}
