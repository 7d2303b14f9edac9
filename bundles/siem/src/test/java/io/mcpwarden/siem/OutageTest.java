package io.mcpwarden.siem;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receiver goes away while events keep coming, the appliance restarts in between, the receiver comes
 * back: every event arrives at least once and in order; duplicates carry the same dedupe key.
 * Size: {@code -Dsiem.outage.rate} events/s for {@code -Dsiem.outage.seconds} s (CI default 1,000 × 10).
 */
class OutageTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void rsyslog() {
        Rsyslog.assumeInstalled();
    }

    static HttpEvent event(int i) {
        FlowRef f = new FlowRef(i, "1:x", "10.0.0.1", 40000 + (i % 1000), "10.0.0.2", 8080, "TCP");
        return new HttpEvent(1_800_000_000_000_000L + i, f, "mcp.test", 8080, "/n/" + i, "POST", "HTTP/1.1",
                "agent", "application/json", 200, i);
    }

    @Test
    void noLossAcrossOutageAndRestart() throws Exception {
        int rate = Integer.getInteger("siem.outage.rate", 1000);
        int seconds = Integer.getInteger("siem.outage.seconds", 10);
        int n = rate * seconds;
        Path spool = tmp.resolve("spool");
        SiemOptions opts = DeliveryTest.options(spool).withBackoff(Duration.ofMillis(20), Duration.ofMillis(500));
        try (Rsyslog r = new Rsyslog(tmp.resolve("rs"), null).start()) {
            SyslogDestination d = SyslogDestination.parse("tcp://127.0.0.1:" + r.tcpPort + "?name=siem");
            SiemExporter x = SiemExporter.start(List.of(d), opts);
            String instance = x.instance("siem");
            long t0 = System.nanoTime();
            long reconnectsBefore = 0;
            for (int i = 0; i < n; i++) {
                long due = t0 + (long) i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (i == n / 5) {
                    r.stop(); // receiver away
                }
                if (i == n / 2) { // appliance restart while the receiver is away
                    DeliveryReport mid = x.close(Duration.ofSeconds(1));
                    DestinationReport m = mid.destination("siem");
                    assertTrue(m.spooled() > 0, "backlog kept on disk at restart: " + mid);
                    assertEquals(0, m.dropped(), mid.toString());
                    reconnectsBefore = m.reconnects();
                    x = SiemExporter.start(List.of(d), opts);
                    assertEquals(instance, x.instance("siem"), "the spool keeps its dedupe scope");
                }
                if (i == n * 4 / 5) {
                    r.start(); // receiver back
                }
                x.accept(event(i));
            }
            DeliveryReport rep = x.close(Duration.ofSeconds(60));
            DestinationReport dr = rep.destination("siem");
            assertTrue(rep.complete(), rep.toString());
            assertTrue(dr.errors() > 0, "the outage is reported: " + rep);
            assertTrue(dr.lastError() != null, rep.toString());

            List<String> lines = r.await(n, Duration.ofSeconds(30));
            Map<Long, Integer> indexBySeq = new HashMap<>();
            List<Integer> firstSeen = new ArrayList<>();
            boolean[] seen = new boolean[n];
            int duplicates = 0;
            for (String s : lines) {
                Rsyslog.Line l = Rsyslog.Line.parse(s);
                JsonNode sd = DeliveryTest.JSON.readTree(l.sdJson()).get("mcpwarden@32473");
                assertEquals(instance, sd.get("instance").asText());
                long seq = Long.parseLong(sd.get("seq").asText());
                JsonNode msg = DeliveryTest.JSON.readTree(l.msg());
                String url = msg.get("http").get("url").asText();
                int idx = Integer.parseInt(url.substring(3));
                Integer prev = indexBySeq.putIfAbsent(seq, idx);
                if (prev != null) {
                    assertEquals(prev.intValue(), idx, "a dedupe key names one event");
                    duplicates++;
                    continue;
                }
                assertTrue(!seen[idx], "event " + idx + " arrived twice under different keys");
                seen[idx] = true;
                firstSeen.add(idx);
            }
            for (int i = 0; i < n; i++) {
                assertTrue(seen[i], "event " + i + " lost; report " + rep);
            }
            for (int i = 0; i < firstSeen.size(); i++) {
                assertEquals(i, firstSeen.get(i).intValue(), "delivery order");
            }
            System.out.printf("outage: %d events, %d lines, %d duplicates (resent %d), reconnects %d+%d, errors %d,"
                            + " last error: %s%n", n, lines.size(), duplicates, dr.resent(), reconnectsBefore,
                    dr.reconnects(), dr.errors(), dr.lastError());
            assertEquals(lines.size() - n, duplicates);
        }
    }
}
