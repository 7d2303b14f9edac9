package io.mcpwarden.pipeline.internal;

import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.WardenEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class McpTrackerTest {
    static final FlowRef TLS = new FlowRef(1, "1:x", "10.1.0.2", 50000, "10.1.0.9", 443, "TCP");
    static final FlowRef TLS2 = new FlowRef(2, "1:y", "10.1.0.2", 50001, "10.1.0.9", 443, "TCP");

    @Test
    void mcpTokenInTheNameWithHttp1AlpnIsSuspectedOncePerServerAndName() {
        List<WardenEvent> out = new ArrayList<>();
        McpTracker t = new McpTracker(out::add);
        t.onTls(TLS, "mcp.tools.example", null, List.of("http/1.1"), 1);
        t.onTls(TLS2, "mcp.tools.example", null, List.of("http/1.1"), 2);
        assertEquals(1, out.size());
        McpEvent m = (McpEvent) out.get(0);
        assertTrue(m.encrypted());
        assertEquals("mcp.tools.example:443", m.endpoint());
        assertEquals(List.of("sni_name_token", "alpn_http1"), m.evidence());
        assertNull(m.clientName(), "nothing claimed that the bytes do not show");
    }

    @Test
    void browsersOfferingH2ToAnMcpNamedHostAreNotSuspected() {
        List<WardenEvent> out = new ArrayList<>();
        McpTracker t = new McpTracker(out::add);
        t.onTls(TLS, "docs-mcp.example", null, List.of("h2", "http/1.1"), 1);
        assertEquals(List.of(), out);
    }

    @Test
    void namesWithoutTheTokenAreNotSuspectedButDnsNamesCount() {
        List<WardenEvent> out = new ArrayList<>();
        McpTracker t = new McpTracker(out::add);
        t.onTls(TLS, "www.shop.example", null, List.of(), 1);
        assertEquals(List.of(), out);
        t.onTls(TLS2, null, "remote-mcp.example", List.of(), 2);
        assertEquals(List.of("dns_name_token", "no_alpn"), ((McpEvent) out.get(0)).evidence());
    }

    @Test
    void tokenRules() {
        assertTrue(McpTracker.hasMcpToken("mcp.example.test"));
        assertTrue(McpTracker.hasMcpToken("api.gitmcp.io"));
        assertTrue(McpTracker.hasMcpToken("mcp3.tools.test"));
        assertTrue(McpTracker.hasMcpToken("remote-mcp-server.example"));
        assertFalse(McpTracker.hasMcpToken("www.example.test"));
        assertFalse(McpTracker.hasMcpToken("amcpx.example"));
        assertFalse(McpTracker.hasMcpToken(null));
    }

    @Test
    void sessionParameterFromTheEndpointEvent() {
        assertEquals("abc", McpTracker.sessionParam("/message?sessionId=abc"));
        assertEquals("d e", McpTracker.sessionParam("/messages/?session_id=d%20e"));
        assertEquals("%zz", McpTracker.sessionParam("/m?session=%zz"));
        assertNull(McpTracker.sessionParam("/message"));
    }
}
