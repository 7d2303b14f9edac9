package io.mcpwarden.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Live capture: {@code warden run --interface IF --events OUT} on the client side of two network
 * namespaces while the SDK client runs one Streamable HTTP and one legacy SSE session against the
 * reference "everything" server (tools/netns/mcp-live.sh), after resolving the server's name through
 * a DNS responder in the server namespace. Expects exactly one mcp event per session, matching what
 * the client saw, and a dns event for the name.
 *
 * <p>System properties: {@code warden.it.captureWarmup} (seconds between starting the capture and the
 * first packet, default 8), {@code warden.it.captureReadyPattern} (regex in the launcher's output that
 * says the capture is running; replaces the warm-up when set).
 */
class LiveCaptureTest {
    static final String CLIENT_NAME = "warden-it-live-client";
    static final String MCP_NAME = "mcp.lab.test";
    static final Map<String, String> TRANSPORT_NAMES = Map.of("streamable", "streamable-http", "sse", "sse");

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void liveSessionsAreReportedOncePerSession() throws Exception {
        Path root = Harness.root();
        Path script = root.resolve("tools/netns/mcp-live.sh");
        assumeTrue(Harness.isRootUser(), "LiveCaptureTest skipped: needs root for network namespaces");
        assumeTrue(Harness.available("ip", "netns", "list"), "LiveCaptureTest skipped: `ip netns` is not available");
        assumeTrue(Files.isDirectory(root.resolve("tools/mcp-node/node_modules/@modelcontextprotocol/sdk")),
                "LiveCaptureTest skipped: tools/mcp-node/node_modules missing (npm ci --prefix tools/mcp-node)");
        Path warden = Harness.warden();

        Path work = Harness.work("live");
        Path events = work.resolve("live.jsonl");
        Path sessions = work.resolve("sessions.jsonl");
        Files.deleteIfExists(events);
        Files.deleteIfExists(sessions);

        String captureCmd = quote(warden.toString()) + " run --interface {iface} --events " + quote(events.toString());
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "CAPTURE_CMD", captureCmd,
                "CAPTURE_WARMUP", System.getProperty("warden.it.captureWarmup", "8"),
                "CAPTURE_STOP_TIMEOUT", "60"));
        String ready = System.getProperty("warden.it.captureReadyPattern", "");
        if (!ready.isBlank()) {
            env.put("CAPTURE_READY_PATTERN", ready);
        }
        Harness.Run run = Harness.run(List.of("bash", script.toString(), "--transports", "streamable sse",
                        "--client-name", CLIENT_NAME, "--results", sessions.toString(),
                        "--keep-logs", work.resolve("logs").toString()),
                env, root, Duration.ofMinutes(5), work.resolve("mcp-live.log"));
        System.out.println("[live] " + String.join(" ", run.command()) + " -> exit " + run.exitCode()
                + " in " + run.took().toMillis() + " ms\n" + run.tail(30));

        // 1. the harness itself: namespaces, DNS, SDK server and client sessions
        if (!run.ok()) {
            fail("mcp-live.sh (namespaces + SDK client/server + capture) failed: " + run.describe());
        }
        List<JsonNode> seen = Files.exists(sessions) ? Harness.readJsonLines(sessions) : List.of();
        assertEquals(2, seen.size(), "client.mjs should have reported 2 sessions in " + sessions);

        // 2. what warden saw
        assertTrue(Files.isRegularFile(events), "warden run wrote no events file " + events
                + " (was it stopped by SIGINT and did it flush?); capture output:\n" + run.tail(30));
        List<JsonNode> produced = Harness.readJsonLines(events);
        System.out.println("[live] warden events: " + Harness.countByType(produced));
        List<JsonNode> mcp = Harness.ofType(produced, "mcp");

        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(seen.size(), mcp.size(), "expected exactly one mcp event per MCP session ("
                + seen.size() + "), got " + mcp.size() + ": " + mcp));
        for (JsonNode s : seen) {
            String transport = Harness.text(s, "transport");
            String sessionId = Harness.text(s, "session_id");
            checks.add(() -> {
                assertNotNull(sessionId, "client.mjs reported no session id: " + s);
                List<JsonNode> matching = mcp.stream()
                        .filter(e -> sessionId.equalsIgnoreCase(String.valueOf(Harness.text(e, "mcp.session_id"))))
                        .toList();
                assertEquals(1, matching.size(), "exactly one mcp event with session_id " + sessionId
                        + " (" + transport + ") expected; mcp events: " + mcp);
                JsonNode e = matching.get(0);
                assertAll(transport + " session " + sessionId,
                        () -> assertEquals(TRANSPORT_NAMES.get(transport), Harness.text(e, "mcp.transport"), "mcp.transport"),
                        () -> assertEquals(CLIENT_NAME, Harness.text(e, "mcp.client_name"), "mcp.client_name"),
                        () -> assertEquals(Harness.text(s, "server_name"), Harness.text(e, "mcp.server_name"),
                                "mcp.server_name (as the client saw it)"),
                        () -> assertFalse(String.valueOf(Harness.text(e, "mcp.server_name")).isBlank(), "mcp.server_name empty"),
                        () -> assertNotNull(Harness.text(e, "mcp.protocol_version"), "mcp.protocol_version is null"),
                        () -> assertEquals(Harness.text(s, "protocol_version"), Harness.text(e, "mcp.protocol_version"),
                                "mcp.protocol_version (negotiated, as the client saw it)"));
            });
        }
        checks.add(() -> {
            List<JsonNode> dns = Harness.ofType(produced, "dns").stream()
                    .filter(e -> MCP_NAME.equals(Harness.host(dnsName(e))))
                    .toList();
            assertFalse(dns.isEmpty(), "no dns event for " + MCP_NAME + "; dns events: " + Harness.ofType(produced, "dns"));
            assertTrue(dns.stream().anyMatch(e -> "query".equals(Harness.text(e, "dns.type"))),
                    "no dns event of type query for " + MCP_NAME + ": " + dns);
        });
        assertAll("warden run events in " + events, checks);
    }

    /** dns.rrname, or the first of dns.queries[].rrname (EVE v3). */
    static String dnsName(JsonNode e) {
        String n = Harness.text(e, "dns.rrname");
        JsonNode q = e.path("dns").path("queries");
        if (n == null && q.isArray() && q.size() > 0) {
            n = q.get(0).path("rrname").asText(null);
        }
        return n;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
