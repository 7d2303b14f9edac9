package io.mcpwarden.pipeline.internal;

import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.WardenEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * MCP recognition by protocol semantics on conversations written here (any port, any path, any key order),
 * and the hard negatives: LSP's initialize, other JSON-RPC, a tools/list without handshake, A2A.
 */
class McpSemanticsPipelineTest {
    static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{\"roots\":{}},\"clientInfo\":{\"name\":\"py-client\",\"version\":\"0.9\"}}}";
    static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"py-server\",\"version\":\"1.2\"}}}";

    static List<McpEvent> mcp(List<WardenEvent> events) {
        return events.stream().filter(McpEvent.class::isInstance).map(McpEvent.class::cast).toList();
    }

    @Test
    void jsonReplyOnAnyPortAndPathWithSessionHeader() {
        Conversation c = new Conversation(false);
        c.tcp(10, 40001, 20, 9443).send(Conversation.post("/v2/agents/rpc", "tools.internal:9443", INIT))
                .reply(Conversation.json(200, RESULT, "Mcp-Session-Id: S-1")).close();
        List<McpEvent> m = mcp(c.run());
        assertEquals(1, m.size());
        McpEvent e = m.get(0);
        assertEquals("streamable-http", e.transport());
        assertEquals("tools.internal:9443/v2/agents/rpc", e.endpoint());
        assertEquals("py-client", e.clientName());
        assertEquals("0.9", e.clientVersion());
        assertEquals("py-server", e.serverName());
        assertEquals("2025-06-18", e.protocolVersion());
        assertEquals("S-1", e.sessionId());
        assertEquals(List.of("roots"), e.clientCapabilities());
        assertTrue(e.evidence().containsAll(List.of("initialize_request", "initialize_result", "session_header")));
    }

    @Test
    void gzipCompressedReplyOverIpv6() throws Exception {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(RESULT.getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = z.toByteArray();
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        byte[] resp = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, resp, 0, head.length());
        System.arraycopy(body, 0, resp, head.length(), body.length);
        Conversation c = new Conversation(true);
        c.tcp(10, 40001, 20, 8000).send(Conversation.post("/mcp", "[2001:db8::14]:8000", INIT)).replyBytes(resp).close();
        List<McpEvent> m = mcp(c.run());
        assertEquals(1, m.size());
        assertEquals("py-server", m.get(0).serverName());
        assertEquals("2001:db8::a", m.get(0).flow().srcIp());
        assertEquals("[2001:db8::14]:8000/mcp", m.get(0).endpoint());
    }

    @Test
    void bodiesWithAByteOrderMarkAreStillRead() {
        Conversation c = new Conversation(false);
        c.tcp(10, 40001, 20, 3000).send(Conversation.post("/mcp", "h:3000", "\uFEFF" + INIT))
                .reply(Conversation.json(200, "\uFEFF" + RESULT)).close();
        List<McpEvent> m = mcp(c.run());
        assertEquals(1, m.size());
        assertEquals("py-server", m.get(0).serverName());
    }

    @Test
    void versionNegotiationErrorStillOneEventWithoutProtocolVersion() {
        Conversation c = new Conversation(false);
        c.tcp(10, 40001, 20, 3000).send(Conversation.post("/mcp", "h:3000", INIT))
                .reply(Conversation.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":"
                        + "\"Unsupported protocol version\",\"data\":{\"supported\":[\"2025-11-25\"],\"requested\":\"2025-06-18\"}}}"))
                .close();
        List<McpEvent> m = mcp(c.run());
        assertEquals(1, m.size());
        assertNull(m.get(0).protocolVersion());
        assertTrue(m.get(0).evidence().contains("version_error"));
    }

    @Test
    void initializeWithoutReplyIsReportedAtFlowEnd() {
        Conversation c = new Conversation(false);
        c.tcp(10, 40001, 20, 3000).send(Conversation.post("/mcp", "h:3000", INIT)).close();
        List<McpEvent> m = mcp(c.run());
        assertEquals(1, m.size());
        assertEquals("2025-06-18", m.get(0).clientProtocolVersion());
        assertNull(m.get(0).protocolVersion());
        assertEquals(List.of("initialize_request"), m.get(0).evidence());
    }

    @Test
    void aLegacyHandshakeWithoutReplyIsReportedWhenItsStreamEnds() {
        Conversation c = new Conversation(false);
        Conversation.Tcp stream = c.tcp(10, 40001, 20, 3002)
                .send("GET /sse HTTP/1.1\r\nHost: h:3002\r\nAccept: text/event-stream\r\n\r\n")
                .reply("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
                        + "event: endpoint\ndata: /messages?sessionId=abc\n\n");
        c.tcp(10, 40002, 20, 3002).send(Conversation.post("/messages?sessionId=abc", "h:3002", INIT))
                .reply("HTTP/1.1 202 Accepted\r\nContent-Length: 8\r\n\r\nAccepted").close();
        stream.close(); // the server never answered on the stream
        c.pause(6_000); // past the linger of closed flows
        for (int i = 0; i < 10; i++) { // later traffic: the run ends well after the stream did
            c.tcp(11, 41000 + i, 21, 80).send("GET / HTTP/1.1\r\nHost: w\r\n\r\n")
                    .reply("HTTP/1.1 204 No Content\r\n\r\n").close();
        }
        List<WardenEvent> events = c.run();
        List<McpEvent> m = mcp(events);
        assertEquals(1, m.size());
        assertEquals("sse", m.get(0).transport());
        assertEquals("py-client", m.get(0).clientName());
        assertNull(m.get(0).serverName(), "no reply");
        long httpAfter = events.subList(events.indexOf(m.get(0)), events.size()).stream()
                .filter(e -> e instanceof HttpEvent h && "w".equals(h.hostname())).count();
        // the closed stream's flow ends after its linger, at one of the table's periodic checks
        assertTrue(httpAfter > 0, "reported when the stream's flow ended, not when the run did");
    }

    @Test
    void discoverWithHeaderBodyMismatchIsRecordedAsEvidence() {
        String discover = "{\"jsonrpc\":\"2.0\",\"id\":\"d1\",\"method\":\"server/discover\",\"params\":{\"_meta\":{"
                + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":"
                + "{\"name\":\"probe\",\"version\":\"3\"}}}}";
        String result = "{\"jsonrpc\":\"2.0\",\"id\":\"d1\",\"result\":{\"resultType\":\"complete\",\"supportedVersions\":"
                + "[\"2026-07-28\"],\"capabilities\":{\"tools\":{}},\"_meta\":{\"io.modelcontextprotocol/serverInfo\":"
                + "{\"name\":\"srv\",\"version\":\"4\"}}}}";
        Conversation c = new Conversation(false);
        c.tcp(10, 40001, 20, 8081).send(Conversation.post("/rpc", "d:8081", discover, "MCP-Protocol-Version: 2026-07-28",
                "Mcp-Method: tools/list")).reply(Conversation.json(200, result)).close();
        List<McpEvent> m = mcp(c.run());
        assertEquals(1, m.size());
        assertEquals("server/discover", m.get(0).handshake());
        assertEquals("probe", m.get(0).clientName());
        assertEquals("srv", m.get(0).serverName());
        assertEquals("2026-07-28", m.get(0).protocolVersion());
        assertNull(m.get(0).sessionId());
        assertTrue(m.get(0).evidence().contains("header_body_mismatch"), m.get(0).evidence().toString());
    }

    @Test
    void oauthChallengeBeforeTheHandshakeIsEvidence() {
        Conversation c = new Conversation(false);
        Conversation.Tcp t = c.tcp(10, 40001, 20, 443 + 7000);
        t.send(Conversation.post("/mcp", "h", INIT)).reply(Conversation.json(401, "{}",
                "WWW-Authenticate: Bearer resource_metadata=\"https://h/.well-known/oauth-protected-resource\""));
        t.send(Conversation.post("/mcp", "h", INIT, "Authorization: Bearer x")).reply(Conversation.json(200, RESULT)).close();
        List<McpEvent> m = mcp(c.run());
        assertEquals(2, m.size(), "one event per initialize exchange");
        assertTrue(m.get(0).evidence().contains("http_error"), m.get(0).evidence().toString());
        assertTrue(m.get(1).evidence().contains("oauth_resource_metadata"), m.get(1).evidence().toString());
        assertEquals("py-server", m.get(1).serverName());
    }

    @Test
    void lspInitializeOverHttpIsNotMcp() {
        String lsp = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":4242,"
                + "\"rootUri\":\"file:///src\",\"capabilities\":{},\"clientInfo\":{\"name\":\"editor\"}}}";
        Conversation c = new Conversation(false);
        c.tcp(10, 40001, 20, 2087).send(Conversation.post("/", "lsp", lsp))
                .reply(Conversation.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"capabilities\":{}}}")).close();
        assertEquals(List.of(), mcp(c.run()));
    }

    @Test
    void toolsListWithoutHandshakeAndA2aAndEthereumAreNotMcp() {
        Conversation c = new Conversation(false);
        c.tcp(10, 40001, 20, 8080).send(Conversation.post("/api", "x",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                .reply(Conversation.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}")).close();
        c.tcp(10, 40002, 21, 9999).send(Conversation.post("/a2a", "y",
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tasks/get\",\"params\":{\"id\":\"t1\"}}"))
                .reply(Conversation.json(200, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"id\":\"t1\",\"status\":{}}}")).close();
        c.tcp(10, 40003, 22, 8545).send(Conversation.post("/", "z",
                        "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_blockNumber\",\"params\":[]}]"))
                .reply(Conversation.json(200, "[{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":\"0x10\"}]")).close();
        List<WardenEvent> events = c.run();
        assertEquals(List.of(), mcp(events));
        assertEquals(3, events.stream().filter(HttpEvent.class::isInstance).count());
    }

    @Test
    void handshakesBeyondThePendingCapAreCountedNotFollowed() {
        Conversation c = new Conversation(false);
        int n = McpTracker.MAX_PENDING + 5;
        for (int i = 0; i < n; i++) { // requests whose replies never come, on connections still open
            c.tcp(10 + i % 200, 20000 + i / 200, 250, 8080).send(Conversation.post("/mcp", "a.test:8080", INIT));
        }
        List<WardenEvent> events = new java.util.ArrayList<>();
        io.mcpwarden.pipeline.InspectionSummary s = new Pipeline(events::add,
                io.mcpwarden.pipeline.InspectOptions.DEFAULTS).run(c.source(), io.mcpwarden.pipeline.RunControl.NONE);
        assertEquals(5L, s.counters().get("mcp.pending_dropped"), s.counters().toString());
        assertEquals(McpTracker.MAX_PENDING, mcp(events).size(), "the followed ones are reported at the end");
    }
}
