package io.mcpwarden.siem;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyslogDestinationTest {
    @Test
    void parsesSchemesPortsAndParameters() {
        SyslogDestination u = SyslogDestination.parse("udp://10.1.2.3");
        assertEquals(SyslogDestination.Transport.UDP, u.transport());
        assertEquals(514, u.port());
        assertEquals("udp_10_1_2_3_514", u.name());
        SyslogDestination t = SyslogDestination.parse("tls://siem.example?format=cef&ca=/etc/ca.pem&types=mcp,verdict&severity=5&name=soc");
        assertEquals(6514, t.port());
        assertEquals(Format.CEF, t.format());
        assertEquals(Path.of("/etc/ca.pem"), t.caFile());
        assertEquals(Set.of("mcp", "verdict"), t.eventTypes());
        assertEquals("soc", t.name());
        assertTrue(t.accepts("verdict", 4));
        assertTrue(!t.accepts("verdict", 6), "informational is below severity 5");
        assertTrue(!t.accepts("dns", 3), "type filter");
        assertEquals("::1", SyslogDestination.parse("tcp://[::1]:601").host());
    }

    @Test
    void clearErrors() {
        assertMessage("http://x:1", "unknown scheme 'http'");
        assertMessage("x:1", "unknown scheme");
        assertMessage("tcp://:514", "has no host");
        assertMessage("tcp://h:99999", "port out of range");
        assertMessage("tcp://h:1/path", "must not have a path");
        assertMessage("tcp://h:1?ca=/x", "tls:// destinations only");
        assertMessage("tls://h:1?cert=/x", "needs both cert and key");
        assertMessage("tls://h:1?types=mcp,smtp", "unknown event type 'smtp'");
        assertMessage("tls://h:1?severity=9", "out of range 0..7");
        assertMessage("tls://h:1?format=leef", "unknown syslog format 'leef'");
        assertMessage("tls://h:1?colour=red", "unknown parameter 'colour'");
        assertMessage("", "missing");
    }

    private static void assertMessage(String uri, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyslogDestination.parse(uri));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
