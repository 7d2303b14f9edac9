package io.mcpwarden.pipeline.internal;

import static io.mcpwarden.dissect.http2.Http2Frames.block;
import static io.mcpwarden.dissect.http2.Http2Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.WardenEvent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** HTTP/2 with prior knowledge (cleartext, RFC 9113 §3.3): http events per stream, MCP recognised as over HTTP/1.1. */
class Http2PipelineTest {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final String SSE_RESULT = "event: message\ndata: " + McpSemanticsPipelineTest.RESULT + "\n\n";

    @Test
    void mcpOverHttp2IsRecognised() throws Exception {
        DefaultHttp2HeadersEncoder client = new DefaultHttp2HeadersEncoder();
        DefaultHttp2HeadersEncoder server = new DefaultHttp2HeadersEncoder();
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.write(PREFACE);
        c.write(frame(4, 0, 0, new byte[0]));
        c.write(frame(1, 0x4, 1, block(client, new DefaultHttp2Headers().method("POST").path("/rpc").scheme("http")
                .authority("agents.internal:8088").add("user-agent", "h2-client")
                .add("accept", "application/json, text/event-stream").add("content-type", "application/json"))));
        c.write(frame(0, 0x1, 1, McpSemanticsPipelineTest.INIT.getBytes(StandardCharsets.UTF_8)));
        c.write(frame(1, 0x5, 3, block(client, new DefaultHttp2Headers().method("GET").path("/health")
                .scheme("http").authority("agents.internal:8088"))));
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write(frame(4, 0, 0, new byte[0]));
        s.write(frame(1, 0x4, 1, block(server, new DefaultHttp2Headers().status("200")
                .add("content-type", "text/event-stream").add("mcp-session-id", "h2-session"))));
        s.write(frame(0, 0x1, 1, SSE_RESULT.getBytes(StandardCharsets.UTF_8)));
        s.write(frame(1, 0x5, 3, block(server, new DefaultHttp2Headers().status("204"))));
        Conversation conv = new Conversation(false);
        conv.tcp(10, 40100, 20, 8088).sendBytes(c.toByteArray()).replyBytes(s.toByteArray()).close();
        List<WardenEvent> events = conv.run();

        List<McpEvent> mcp = McpSemanticsPipelineTest.mcp(events);
        assertEquals(1, mcp.size(), events.toString());
        McpEvent m = mcp.get(0);
        assertEquals("streamable-http", m.transport());
        assertEquals("agents.internal:8088/rpc", m.endpoint());
        assertEquals("h2-session", m.sessionId());
        assertEquals("py-server", m.serverName());
        assertEquals("2025-06-18", m.protocolVersion());
        assertFalse(m.encrypted());

        List<HttpEvent> http = events.stream().filter(HttpEvent.class::isInstance).map(HttpEvent.class::cast).toList();
        assertEquals(2, http.size());
        assertEquals("HTTP/2", http.get(0).protocol());
        assertEquals("POST /rpc agents.internal 8088 h2-client 200", describe(http.get(0)));
        assertEquals("GET /health agents.internal 8088 null 204", describe(http.get(1)));
    }

    private static String describe(HttpEvent h) {
        return h.method() + " " + h.url() + " " + h.hostname() + " " + h.httpPort() + " " + h.userAgent() + " "
                + h.status();
    }
}
