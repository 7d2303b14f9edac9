package io.mcpwarden.siem;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Destinations and spools that cannot work: each a clear error, counted, never a crash or silent loss. */
class BadInputTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void rsyslog() {
        Rsyslog.assumeInstalled();
    }

    static SiemOptions opts(Path spool) {
        return DeliveryTest.options(spool).withTimeouts(Duration.ofMillis(300), Duration.ofMillis(700));
    }

    /** Sends 50 events to a TLS destination that cannot work; they must stay spooled, with the reason. */
    private DestinationReport failingTls(SyslogDestination d) {
        SiemExporter x = SiemExporter.start(List.of(d), opts(tmp.resolve("spool")));
        for (int i = 0; i < 50; i++) {
            x.accept(OutageTest.event(i));
        }
        DeliveryReport rep = x.close(Duration.ofMillis(2500));
        DestinationReport r = rep.destination(d.name());
        assertEquals(0, r.sent(), rep.toString());
        assertEquals(50, r.spooled(), "kept for later, not lost: " + rep);
        assertEquals(0, r.dropped(), rep.toString());
        assertTrue(r.errors() > 0, rep.toString());
        assertEquals(r.errors(), x.counters().get("siem." + d.name() + ".errors"));
        return r;
    }

    @Test
    void plainTcpOnTheTlsPort() throws Exception {
        TestCerts ca = TestCerts.ca("CA");
        Path caPem = ca.writeCert(tmp.resolve("ca.pem"));
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), null).start()) {
            DestinationReport rep = failingTls(SyslogDestination.parse("tls://localhost:" + r.tcpPort).withCaFile(caPem));
            assertTrue(rep.lastError().contains("does not answer TLS") || rep.lastError().contains("did not answer with TLS"),
                    rep.lastError());
        }
    }

    @Test
    void unknownCa() throws Exception {
        TestCerts trusted = TestCerts.ca("Trusted CA");
        TestCerts other = TestCerts.ca("Other CA");
        TestCerts server = other.leaf("localhost", "localhost");
        Rsyslog.Tls tls = new Rsyslog.Tls(other.writeCert(tmp.resolve("other.pem")),
                server.writeCert(tmp.resolve("s.pem")), server.writeKey(tmp.resolve("s.key")), "anon");
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), tls).start()) {
            DestinationReport rep = failingTls(SyslogDestination.parse("tls://localhost:" + r.tcpPort)
                    .withCaFile(trusted.writeCert(tmp.resolve("trusted.pem"))));
            assertTrue(rep.lastError().contains("not signed by a trusted CA"), rep.lastError());
            assertTrue(r.lines().isEmpty());
        }
    }

    @Test
    void hostnameMismatch() throws Exception {
        TestCerts ca = TestCerts.ca("CA");
        TestCerts server = ca.leaf("other.example", "other.example");
        Path caPem = ca.writeCert(tmp.resolve("ca.pem"));
        Rsyslog.Tls tls = new Rsyslog.Tls(caPem, server.writeCert(tmp.resolve("s.pem")),
                server.writeKey(tmp.resolve("s.key")), "anon");
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), tls).start()) {
            DestinationReport rep = failingTls(SyslogDestination.parse("tls://localhost:" + r.tcpPort).withCaFile(caPem));
            assertTrue(rep.lastError().contains("does not match the host name 'localhost'"), rep.lastError());
            assertTrue(r.lines().isEmpty());
        }
    }

    @Test
    void missingCaFile() {
        DestinationReport rep = failingTls(SyslogDestination.parse("tls://localhost:1").withCaFile(tmp.resolve("nope.pem")));
        assertTrue(rep.lastError().contains("nope.pem") && rep.lastError().contains("not readable"), rep.lastError());
    }

    /** The spool path is a file: the destination says so and delivers from memory. */
    @Test
    void unusableSpoolDirectory() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), null).start()) {
            SyslogDestination d = SyslogDestination.parse("tcp://127.0.0.1:" + r.tcpPort);
            SiemExporter x = SiemExporter.start(List.of(d), opts(notADir));
            for (int i = 0; i < 100; i++) {
                x.accept(OutageTest.event(i));
            }
            DeliveryReport rep = x.close(Duration.ofSeconds(10));
            DestinationReport dr = rep.destination(d.name());
            assertTrue(dr.lastError().contains("spool unusable") && dr.lastError().contains(notADir.toString()),
                    rep.toString());
            assertEquals(1, dr.errors(), rep.toString());
            assertEquals(100, dr.sent(), rep.toString());
            assertEquals(100, r.await(100, Duration.ofSeconds(10)).size());
        }
    }

    /** A spool far too small for the backlog: oldest dropped, counted, and a DROP message says how many. */
    @Test
    void tinySpoolCap() throws Exception {
        int n = 2000;
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), null)) {
            SyslogDestination d = SyslogDestination.parse("tcp://127.0.0.1:" + r.tcpPort + "?name=tiny");
            SiemExporter x = SiemExporter.start(List.of(d), opts(tmp.resolve("spool")).withSpool(tmp.resolve("spool"), 16_384));
            for (int i = 0; i < n; i++) {
                x.accept(OutageTest.event(i));
            }
            Thread.sleep(300);
            r.start();
            DeliveryReport rep = x.close(Duration.ofSeconds(20));
            DestinationReport dr = rep.destination("tiny");
            assertTrue(dr.dropped() > 0, rep.toString());
            assertTrue(dr.errors() >= 2, "the cap and the refused connection are counted: " + rep);
            assertEquals(0, dr.spooled(), rep.toString());
            List<String> lines = r.await((int) (n - dr.dropped()), Duration.ofSeconds(10));
            Thread.sleep(200);
            lines = r.lines();
            long reportedDrops = 0;
            int events = 0;
            int last = -1;
            for (String s : lines) {
                Rsyslog.Line l = Rsyslog.Line.parse(s);
                JsonNode sd = DeliveryTest.JSON.readTree(l.sdJson()).get("mcpwarden@32473");
                if ("DROP".equals(l.msgid())) {
                    assertEquals(16 * 8 + 4, l.pri(), "a drop is a warning");
                    reportedDrops += Long.parseLong(sd.get("dropped").asText());
                    assertEquals(sd.get("dropped").asText(),
                            DeliveryTest.JSON.readTree(l.msg()).get("dropped").asText());
                } else {
                    int idx = Integer.parseInt(DeliveryTest.JSON.readTree(l.msg()).get("http").get("url").asText().substring(3));
                    assertTrue(idx > last, "order");
                    last = idx;
                    events++;
                }
            }
            assertEquals(dr.dropped(), reportedDrops, "every drop is itself reported: " + rep);
            assertEquals(n, events + reportedDrops, "delivered + reported dropped = produced");
            assertEquals(n - 1, last, "the newest events survive");
        }
    }

    /**
     * The appliance crashed while writing to the spool: its newest segment ends in the middle of a record. On
     * the next start the complete records are delivered, the cut-off rest is reported, and new events follow.
     */
    @Test
    void spoolWithATornTailAfterACrash() throws Exception {
        Path spool = tmp.resolve("spool");
        SyslogDestination away = SyslogDestination.parse("tcp://127.0.0.1:1?name=soc");
        SiemExporter x = SiemExporter.start(List.of(away), opts(spool));
        for (int i = 0; i < 20; i++) {
            x.accept(OutageTest.event(i));
        }
        assertEquals(20, x.close(Duration.ofSeconds(1)).destination("soc").spooled());
        Path seg;
        try (Stream<Path> l = Files.list(spool.resolve("soc"))) {
            seg = l.filter(p -> p.getFileName().toString().startsWith("seg-")).max(Path::compareTo).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10); // the last record is incomplete
        }
        try (FrameServer server = new FrameServer()) {
            SyslogDestination d = SyslogDestination.parse(server.url() + "?name=soc");
            x = SiemExporter.start(List.of(d), opts(spool));
            DestinationReport r = x.report().destination("soc");
            assertTrue(r.lastError() != null && r.lastError().contains(seg.toString())
                    && r.lastError().contains("cut off"), r.toString());
            assertEquals(1, r.errors(), r.toString());
            x.accept(OutageTest.event(20));
            DeliveryReport rep = x.close(Duration.ofSeconds(10));
            assertEquals(20, rep.destination("soc").sent(), rep.toString());
            for (long end = System.nanoTime() + 5_000_000_000L; server.count() < 20 && System.nanoTime() < end; ) {
                Thread.sleep(10);
            }
            List<String> frames = server.frames();
            assertEquals(20, frames.size(), frames.toString());
            for (int i = 0; i < 19; i++) {
                assertTrue(frames.get(i).contains("\"/n/" + i + "\""), "event " + i + " in order: " + frames.get(i));
            }
            assertTrue(frames.get(19).contains("\"/n/20\""), "event 19 was cut, 20 follows: " + frames.get(19));
        }
    }
}
