package io.mcpwarden.policy.internal;

import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decisions remembered per event key (the raw name fields of DNS, TLS and HTTP events): the same verdicts as
 * the subject path, never across a first-sight epoch, a TTL or a swap.
 */
public class KeyedDecisionsTest {
    /** Incremented by the test rules' consequences: counts entries into the engine. */
    public static final AtomicInteger FIRED = new AtomicInteger();

    private static final String RULES = """
            package t
            import io.mcpwarden.policy.facts.Subject
            import io.mcpwarden.policy.facts.Verdict
            import io.mcpwarden.policy.internal.KeyedDecisionsTest
            rule "seen"
            when
                $s : Subject( firstSight == false )
            then
                KeyedDecisionsTest.FIRED.incrementAndGet();
                insert(Verdict.alert("seen", "low", $s.eventType() + " " + $s.host()));
            end
            rule "first"
            when
                $s : Subject( firstSight == true )
            then
                KeyedDecisionsTest.FIRED.incrementAndGet();
                insert(Verdict.alert("first", "info", $s.endpoint()));
            end
            """;

    static DnsEvent dns(String client, String name) {
        return new DnsEvent(1, new FlowRef(1, "c", client, 5353, "192.0.2.53", 53, "UDP"), "query", 1, name, "A",
                null, List.of());
    }

    static TlsEvent tls(String client, String sni, String dest, int port) {
        return new TlsEvent(1, new FlowRef(1, "c", client, 40000, dest, port, "TCP"), sni, "TLS 1.3", List.of(),
                List.of(), "t13d", null, null);
    }

    static HttpEvent http(String client, String host, int port, String url) {
        return new HttpEvent(1, new FlowRef(1, "c", client, 40000, "192.0.2.80", port, "TCP"), host, port, url, "GET",
                "HTTP/1.1", null, null, 200, 0);
    }

    private static List<String> decisions(List<VerdictEvent> v) {
        List<String> out = new ArrayList<>();
        for (VerdictEvent e : v) {
            out.add(e.rule() + ":" + e.subjectType() + ":" + e.subject() + ":" + e.reason());
        }
        return out;
    }

    @Test
    void keysTellApartWhatSubjectsTellApart() {
        // lengths keep the client address and the name apart
        assertNotEquals(KnownTable.key(dns("10.0.0.1", "5.x.test")), KnownTable.key(dns("10.0.0.15", ".x.test")));
        assertNotEquals(KnownTable.key(http("10.0.0.1", "a.te", 80, "st/b")), KnownTable.key(http("10.0.0.1", "a.test", 80, "/b")));
        assertNotEquals(KnownTable.key(tls("10.0.0.1", "x.test", "192.0.2.1", 443)),
                KnownTable.key(tls("10.0.0.1", "x.test", "192.0.2.1", 8443)));
        assertNotEquals(KnownTable.key(dns("10.0.0.1", "x.test")), KnownTable.key(tls("10.0.0.1", "x.test", "192.0.2.1", 0)));
        // without a name TLS falls back to the server address, as its subject does
        assertEquals(KnownTable.key(tls("10.0.0.1", null, "192.0.2.1", 443)),
                KnownTable.key(tls("10.0.0.1", "", "192.0.2.1", 443)));
        // no key where the subject is computed from other fields, or there is none
        assertNull(KnownTable.key(Events.mcp("a.test:80/mcp", "2025-11-25", "c")));
        assertNull(KnownTable.key(Events.flowEnd()));
        assertNull(KnownTable.key(new DnsEvent(1, new FlowRef(1, "c", "10.0.0.1", 53, "10.0.0.2", 5353, "UDP"),
                "answer", 1, "x.test", "A", "NOERROR", List.of())));
        assertNull(KnownTable.key(http("10.0.0.1", null, 80, "/")));
    }

    @Test
    void equalKeysHaveEqualSubjects() {
        RegistryImpl reg = RegistryParser.parse("r.yaml", RegistryTest.MINIMAL.getBytes()).registry();
        List<WardenEvent> events = new ArrayList<>();
        for (String client : List.of("10.0.0.1", "10.0.0.15")) {
            for (String name : List.of("api.approved-mcp.test", "API.Approved-MCP.test.", "mcp.x.test", "5.x.test")) {
                events.add(dns(client, name));
                events.add(tls(client, name, "192.0.2.1", 443));
                events.add(tls(client, name, "192.0.2.1", 8443));
                events.add(http(client, name, 80, "/mcp?x=1"));
                events.add(http(client, name, 80, "/mcp/"));
            }
            events.add(tls(client, null, "192.0.2.1", 443));
        }
        for (WardenEvent a : events) {
            for (WardenEvent b : events) {
                if (KnownTable.key(a).equals(KnownTable.key(b))) {
                    assertEquals(new Subjects().of(a, reg), new Subjects().of(b, reg), a + " / " + b);
                }
            }
        }
    }

    @Test
    void keyedDecisionsAreTheSubjectDecisions(@TempDir Path dir) {
        Events.write(dir.resolve("r.drl"), RULES);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ofMinutes(5), 10), 50)) {
            FIRED.set(0); // after the warm-up firing of a new set
            List<String> first = decisions(p.judge(dns(Events.CLIENT, "X.test.")));
            assertEquals(List.of("first:dns:x.test:x.test"), first);
            // another spelling of the same subject: decided by the rules once, then from the cache
            assertEquals(List.of("seen:dns:x.test:dns x.test"), decisions(p.judge(dns(Events.CLIENT, "x.test"))));
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of("seen:dns:x.test:dns x.test"),
                        decisions(p.judge(dns(Events.CLIENT, i % 2 == 0 ? "X.test." : "x.test"))));
            }
            assertEquals(2, FIRED.get(), "the engine decided twice: first sight and the cached decision");
            // the verdicts carry the current event's time and flow
            DnsEvent later = new DnsEvent(99, new FlowRef(7, "c7", Events.CLIENT, 1234, "192.0.2.53", 53, "UDP"),
                    "query", 2, "x.test", "A", null, List.of());
            VerdictEvent v = p.judge(later).get(0);
            assertEquals(99, v.tsMicros());
            assertEquals(later.flow(), v.flow());
            // another client is another subject
            assertEquals(List.of("seen:dns:x.test:dns x.test"), decisions(p.judge(dns("10.0.0.9", "x.test"))));
            assertEquals(3, FIRED.get());
        }
    }

    @Test
    void keyedDecisionsExpireWithTheTtl(@TempDir Path dir) throws InterruptedException {
        Events.write(dir.resolve("r.drl"), RULES);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ofMillis(50), 10), 50)) {
            FIRED.set(0); // after the warm-up firing of a new set
            for (int i = 0; i < 5; i++) {
                p.judge(http(Events.CLIENT, "h.test", 80, "/a"));
            }
            assertEquals(2, FIRED.get());
            Thread.sleep(120);
            assertEquals(List.of("seen:http:h.test:80/a:http h.test"),
                    decisions(p.judge(http(Events.CLIENT, "h.test", 80, "/a"))));
            assertEquals(3, FIRED.get(), "an expired decision is taken again");
        }
    }

    @Test
    void aFirstSightComesBackWhenTheFirstSightMemoryIsEmptied(@TempDir Path dir) {
        Events.write(dir.resolve("r.drl"), RULES);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ofMinutes(5), 10), 50)) {
            assertEquals(List.of("first:tls:x.test:443:x.test:443"),
                    decisions(p.judge(tls(Events.CLIENT, "x.test", "192.0.2.1", 443))));
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of("seen:tls:x.test:443:tls x.test"),
                        decisions(p.judge(tls(Events.CLIENT, "x.test", "192.0.2.1", 443))));
            }
            // fill the memory of endpoints seen until it is emptied
            for (int i = 1; i <= Subjects.FIRST_SIGHT_MAX; i++) {
                p.judge(dns(Events.CLIENT, "n" + i + ".test"));
            }
            assertEquals(List.of("first:tls:x.test:443:x.test:443"),
                    decisions(p.judge(tls(Events.CLIENT, "x.test", "192.0.2.1", 443))),
                    "forgotten endpoints are first sights again, whatever was remembered for the name");
        }
    }

    @Test
    void keyedDecisionsDoNotOutliveARuleSwap(@TempDir Path dir) throws Exception {
        Events.write(dir.resolve("r.drl"), RULES);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, true, Duration.ofMinutes(5), 10), 10)) {
            for (int i = 0; i < 3; i++) {
                p.judge(dns(Events.CLIENT, "x.test"));
            }
            String next = RULES.replace("$s.eventType() + \" \"", "\"v2 \"");
            Events.writeAtomically(dir.resolve("r.drl"), next);
            TreeMap<String, byte[]> files = new TreeMap<>();
            files.put("r.drl", next.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String want = Hashes.ofFiles(files);
            HotReloadTest.await(() -> p.info().hash().equals(want), 20_000, "reload");
            List<VerdictEvent> v = p.judge(dns(Events.CLIENT, "x.test"));
            assertEquals(List.of("seen:dns:x.test:v2 x.test"), decisions(v));
            assertEquals(want, v.get(0).ruleset());
        }
    }

    @Test
    void untilASetLoadsTheEmptySetIsInForce(@TempDir Path dir) {
        Events.write(dir.resolve("broken.drl"), "rule \"x\" when then");
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ofMinutes(5), 10), 50)) {
            assertEquals(Hashes.ofFiles(new TreeMap<>()), p.info().hash());
            assertEquals(0, p.info().rules());
            assertFalse(p.info().lastErrors().isEmpty());
            for (int i = 0; i < 3; i++) {
                assertTrue(p.judge(dns(Events.CLIENT, "x.test")).isEmpty());
                assertTrue(p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c")).isEmpty());
            }
            assertTrue(p.ruleFailures().isEmpty(), p.ruleFailures().toString());
        }
    }
}
