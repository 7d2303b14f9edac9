package io.mcpwarden.siem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The configuration file format: every key, and errors at their line and column. */
class SiemConfigTest {
    @TempDir
    Path tmp;

    private SiemConfig parse(String yaml) throws SiemConfigException {
        return SiemConfig.parse("warden.conf", yaml.getBytes(StandardCharsets.UTF_8), tmp);
    }

    @Test
    void everyKey() throws Exception {
        Files.writeString(tmp.resolve("ca.pem"), "x");
        Files.writeString(tmp.resolve("client.pem"), "x");
        Files.writeString(tmp.resolve("client.key"), "x");
        SiemConfig c = parse("""
                # comment
                syslog:
                  spool_dir: spool
                  spool_cap_mb: 64
                  destinations:
                    - url: tls://siem.example:6514
                      name: primary
                      format: CEF
                      ca: ca.pem
                      cert: client.pem
                      key: client.key
                      event_types: [mcp, verdict]
                      min_severity: notice
                    - url: udp://10.0.0.9
                      event_types: rules
                      min_severity: 3
                """);
        assertEquals(tmp.resolve("spool"), c.spoolDir());
        assertEquals(64L << 20, c.spoolCapBytes());
        assertEquals(2, c.destinations().size());
        SyslogDestination d = c.destinations().get(0).destination();
        assertEquals(6, c.destinations().get(0).line());
        assertEquals("primary", d.name());
        assertEquals(SyslogDestination.Transport.TLS, d.transport());
        assertEquals("siem.example", d.host());
        assertEquals(6514, d.port());
        assertEquals(Format.CEF, d.format());
        assertEquals(tmp.resolve("ca.pem"), d.caFile());
        assertEquals(tmp.resolve("client.pem"), d.clientCert());
        assertEquals(tmp.resolve("client.key"), d.clientKey());
        assertEquals(Set.of("mcp", "verdict"), d.eventTypes());
        assertEquals(5, d.minSeverity());
        SyslogDestination u = c.destinations().get(1).destination();
        assertEquals("udp_10_0_0_9_514", u.name());
        assertEquals(Format.RFC5424, u.format());
        assertEquals(Set.of("rules"), u.eventTypes());
        assertEquals(3, u.minSeverity());
        SiemOptions o = c.options(SiemOptions.DEFAULTS.withSpool(Path.of("/elsewhere"), 1L << 30));
        assertEquals(tmp.resolve("spool"), o.spoolDir());
        assertEquals(64L << 20, o.spoolCapBytes());
    }

    @Test
    void emptyCommentOnlyAndEmptySectionsAreValid() throws Exception {
        for (String y : new String[] {"", "# nothing\n", "syslog:\n", "syslog:\n  destinations:\n",
                "syslog:\n  destinations: []\n"}) {
            SiemConfig c = parse(y);
            assertTrue(c.destinations().isEmpty(), y);
            assertNull(c.spoolDir());
            SiemOptions o = c.options(SiemOptions.DEFAULTS.withSpool(Path.of("/s"), 1L << 20));
            assertEquals(Path.of("/s"), o.spoolDir(), "the caller's spool when the file names none");
        }
    }

    @Test
    void theShippedExampleSendsNothing() throws Exception {
        Path shipped = Path.of("../../appliance-image/src/deb/etc/warden.conf");
        assertTrue(Files.exists(shipped), shipped.toAbsolutePath().toString());
        SiemConfig c = SiemConfig.read(shipped);
        assertTrue(c.destinations().isEmpty(), "the default install sends nothing");
        // its commented example, uncommented, is a valid configuration (files it names aside)
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String l : Files.readAllLines(shipped)) {
            in |= l.equals("#syslog:");
            if (in && l.startsWith("#") && !l.trim().startsWith("#      ca:")) { // the CA file is not here
                b.append(l.substring(1)).append('\n');
            }
        }
        SiemConfig example = parse(b.toString());
        assertEquals(java.util.List.of("soc", "arcsight", "udp_127_0_0_1_514"),
                example.syslogDestinations().stream().map(SyslogDestination::name).toList(), b.toString());
        assertEquals(5, example.destinations().get(1).destination().minSeverity());
    }

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', textBlock = """
            syslog:\\n  destinatons: []                                         | 2 | 3  | unknown key 'destinatons' in 'syslog' (known: spool_dir, spool_cap_mb, destinations)
            sylog: {}                                                           | 1 | 1  | unknown key 'sylog' at the top level (known: syslog)
            - a                                                                 | 1 | 1  | the file must be a mapping of sections (known: syslog)
            syslog:\\n  destinations:\\n    - url: tcp://h:1\\n      format: gelf | 4 | 15 | unknown syslog format 'gelf': use rfc5424 or cef
            syslog:\\n  destinations:\\n    - url: tcp://h:1\\n      event_types: [mcp, smtp] | 4 | 26 | unknown event type 'smtp'
            syslog:\\n  destinations:\\n    - url: tcp://h:1\\n      min_severity: 9 | 4 | 21 | min_severity 9 out of range 0..7
            syslog:\\n  destinations:\\n    - url: tcp://h:1?format=cef          | 3 | 12 | has a query part
            syslog:\\n  destinations:\\n    - url: http://h:1                    | 3 | 12 | unknown scheme 'http'
            syslog:\\n  destinations:\\n    - name: x                            | 3 | 7  | destination without 'url'
            syslog:\\n  destinations:\\n    - url: tcp://h:1\\n    - url: tcp://h:1 | 4 | 7 | a second destination named 'tcp_h_1' (the first is on line 3): give one a 'name'
            syslog:\\n  destinations:\\n    - url: tcp://h:1\\n      url: tcp://h:2 | 4 | 7 | key 'url' given twice in a destination
            syslog:\\n  destinations:\\n    - url: tcp://h:1\\n      ca: /no/such/ca.pem | 4 | 7 | ca, cert and key apply to tls:// destinations only
            syslog:\\n  destinations:\\n    - url: tls://h:1\\n      ca: /no/such/ca.pem | 4 | 11 | ca file /no/such/ca.pem does not exist
            syslog:\\n  spool_cap_mb: lots                                      | 2 | 17 | spool_cap_mb must be a whole number
            syslog:\\n  spool_cap_mb: 0                                         | 2 | 17 | spool_cap_mb 0 out of range
            syslog:\\n  destinations: tcp://h:1                                 | 2 | 17 | 'destinations' must be a list
            syslog:\\n  destinations:\\n    - url: [tcp://h:1]                   | 3 | 12 | url must be a single value
            syslog:\\n  destinations:\\n    - url: 'tcp://h:1\\n                 | 4 | 1  | not valid YAML
            """)
    void errorsNameLineAndColumn(String yaml, int line, int column, String message) {
        SiemConfigException e = assertThrows(SiemConfigException.class, () -> parse(yaml.replace("\\n", "\n")));
        assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
        assertTrue(e.reason().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("warden.conf:" + line + ":" + column + ": "), e.getMessage());
    }

    @Test
    void aMissingFileIsAnErrorWithoutPlace() {
        SiemConfigException e = assertThrows(SiemConfigException.class, () -> SiemConfig.read(tmp.resolve("none")));
        assertEquals(tmp.resolve("none") + ":0:0: no such file", e.getMessage());
    }
}
