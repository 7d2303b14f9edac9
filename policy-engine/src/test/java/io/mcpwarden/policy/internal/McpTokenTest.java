package io.mcpwarden.policy.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "looks like an MCP endpoint" name fact: a label (split on '.', '-', '_') that is, starts or ends with "mcp". */
class McpTokenTest {
    @Test
    void labelsThatAreStartOrEndWithMcp() {
        for (String h : new String[] {"mcp.example.test", "api.mcp", "mcp", "mcpserver.test", "my-mcp.test",
                "tools_mcp.test", "x.remotemcp.test", "a.b-mcp-c.test", "MCP-x.test".toLowerCase()}) {
            assertTrue(Subjects.hasMcpToken(h), h);
        }
    }

    @Test
    void otherNamesAndAddresses() {
        for (String h : new String[] {"", "example.test", "mc.p.test", "m-cp.test", "amcpb.test", "mc", "cp.mc",
                "10.0.0.1", "2001:db8::1", "...", "-_-"}) {
            assertFalse(Subjects.hasMcpToken(h), h);
        }
    }
}
