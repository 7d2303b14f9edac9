package io.mcpwarden.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.model.WardenEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event of a corpus capture reaches a real rsyslog over UDP, TCP and TLS, as rsyslog's parsers see it. */
class DeliveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOST = "warden-test";

    @TempDir
    Path tmp;

    @BeforeAll
    static void rsyslog() {
        Rsyslog.assumeInstalled();
    }

    static SiemOptions options(Path spool) {
        return SiemOptions.DEFAULTS.withIdentity(HOST, null, 16).withBackoff(Duration.ofMillis(20),
                Duration.ofMillis(200)).withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(2))
                .withSpool(spool, 64L << 20);
    }

    /** Runs P1 plus the extra events through an exporter; returns the events in order. */
    static List<WardenEvent> produce(SiemExporter x) throws Exception {
        List<WardenEvent> events = new ArrayList<>(Corpus.runP1(x));
        WardenEvent last = events.get(events.size() - 1);
        for (WardenEvent e : Corpus.extras(last.flow(), last.tsMicros() + 1)) {
            x.accept(e);
            events.add(e);
        }
        return events;
    }

    @Test
    void udp() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), null).start()) {
            SyslogDestination d = SyslogDestination.parse("udp://127.0.0.1:" + r.udpPort);
            SiemExporter x = SiemExporter.start(List.of(d), options(null).withUdpMaxBytes(65_000));
            List<WardenEvent> events = produce(x);
            DeliveryReport rep = x.close(Duration.ofSeconds(10));
            assertEquals(events.size(), rep.destination(d.name()).sent(), rep.toString());
            check(events, r.await(events.size(), Duration.ofSeconds(10)), x.instance(d.name()));
        }
    }

    @Test
    void tcp() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), null).start()) {
            SyslogDestination d = SyslogDestination.parse("tcp://127.0.0.1:" + r.tcpPort);
            SiemExporter x = SiemExporter.start(List.of(d), options(tmp.resolve("spool")));
            List<WardenEvent> events = produce(x);
            DeliveryReport rep = x.close(Duration.ofSeconds(10));
            assertTrue(rep.complete(), rep.toString());
            assertEquals(events.size(), rep.destination(d.name()).sent(), rep.toString());
            check(events, r.await(events.size(), Duration.ofSeconds(10)), x.instance(d.name()));
        }
    }

    @Test
    void tls() throws Exception {
        TestCerts ca = TestCerts.ca("Warden Test CA");
        TestCerts server = ca.leaf("localhost", "localhost");
        Path caPem = ca.writeCert(tmp.resolve("ca.pem"));
        Rsyslog.Tls tls = new Rsyslog.Tls(caPem, server.writeCert(tmp.resolve("server.pem")),
                server.writeKey(tmp.resolve("server-key.pem")), "anon");
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), tls).start()) {
            SyslogDestination d = SyslogDestination.parse("tls://localhost:" + r.tcpPort).withCaFile(caPem);
            SiemExporter x = SiemExporter.start(List.of(d), options(tmp.resolve("spool")));
            List<WardenEvent> events = produce(x);
            DeliveryReport rep = x.close(Duration.ofSeconds(10));
            assertTrue(rep.complete(), rep.toString());
            assertEquals(0, rep.destination(d.name()).errors(), rep.toString());
            check(events, r.await(events.size(), Duration.ofSeconds(10)), x.instance(d.name()));
        }
    }

    /** Mutual TLS: rsyslog requires a client certificate signed by the CA, the exporter presents one. */
    @Test
    void tlsWithClientCertificate() throws Exception {
        TestCerts ca = TestCerts.ca("Warden Test CA");
        TestCerts server = ca.leaf("localhost", "localhost");
        TestCerts client = ca.leaf("warden-appliance", "warden-appliance");
        Path caPem = ca.writeCert(tmp.resolve("ca.pem"));
        Rsyslog.Tls tls = new Rsyslog.Tls(caPem, server.writeCert(tmp.resolve("server.pem")),
                server.writeKey(tmp.resolve("server-key.pem")), "x509/certvalid");
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), tls).start()) {
            SyslogDestination d = SyslogDestination.parse("tls://localhost:" + r.tcpPort).withCaFile(caPem)
                    .withClientCertificate(client.writeCert(tmp.resolve("c.pem")), client.writeKey(tmp.resolve("c.key")));
            SiemExporter x = SiemExporter.start(List.of(d), options(tmp.resolve("spool")));
            List<WardenEvent> events = produce(x);
            DeliveryReport rep = x.close(Duration.ofSeconds(10));
            assertTrue(rep.complete(), rep.toString());
            check(events, r.await(events.size(), Duration.ofSeconds(10)), x.instance(d.name()));
        }
    }

    /** Checks every line field by field against the event it came from (matched by seq). */
    static void check(List<WardenEvent> events, List<String> lines, String instance) throws Exception {
        assertEquals(events.size(), lines.size(), "lines received");
        long pid = ProcessHandle.current().pid();
        Map<Long, Rsyslog.Line> bySeq = new HashMap<>();
        for (String s : lines) {
            Rsyslog.Line l = Rsyslog.Line.parse(s);
            JsonNode sd = JSON.readTree(l.sdJson()).get("mcpwarden@32473");
            assertTrue(sd != null, "no mcpwarden@32473 element: " + s);
            assertEquals(instance, sd.get("instance").asText());
            bySeq.put(Long.parseLong(sd.get("seq").asText()), l);
        }
        for (int i = 0; i < events.size(); i++) {
            WardenEvent e = events.get(i);
            Rsyslog.Line l = bySeq.get((long) i + 1);
            assertTrue(l != null, "no line with seq " + (i + 1));
            assertEquals(16 * 8 + Corpus.expectedSeverity(e), l.pri(), "PRI of " + e);
            assertEquals(ts(e.tsMicros()), l.timestamp());
            assertEquals(HOST, l.hostname());
            assertEquals("mcp-warden", l.app());
            assertEquals(Long.toString(pid), l.procid());
            assertEquals(Corpus.expectedMsgId(e), l.msgid());
            JsonNode sd = JSON.readTree(l.sdJson()).get("mcpwarden@32473");
            Map<String, String> got = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = sd.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                got.put(f.getKey(), f.getValue().asText());
            }
            got.remove("seq");
            got.remove("instance");
            assertEquals(Corpus.expectedSd(e), got, "SD of " + e);
            assertEquals(EveJsonSink.toJson(e), l.msg(), "MSG of " + e);
        }
    }

    static String ts(long micros) {
        Instant i = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
        String s = i.toString(); // ISO with variable fraction digits
        Matcher m = Pattern.compile("^(.*T\\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d+))?Z$").matcher(s);
        assertTrue(m.matches(), s);
        String frac = m.group(2) == null ? "" : m.group(2);
        return m.group(1) + "." + (frac + "000000").substring(0, 6) + "Z";
    }
}
