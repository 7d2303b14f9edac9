package io.mcpwarden.policy.internal;

import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subjects skip the engine only where it provably fires nothing: the analysis of a compiled set, and the same
 * verdicts as a set that every subject enters.
 */
public class SilentProjectionsTest {
    /** Incremented by a consequence that inserts no verdict. */
    public static final AtomicInteger SIDE_EFFECTS = new AtomicInteger();

    private static final String HEAD = """
            package t
            import io.mcpwarden.policy.facts.Subject
            import io.mcpwarden.policy.facts.Verdict
            import io.mcpwarden.model.DnsEvent
            import io.mcpwarden.policy.internal.SilentProjectionsTest
            global java.lang.String marker
            """;

    private static final String SHAPED = HEAD + """
            rule "mcp-like"
            when
                $s : Subject( eventType == "dns", nameHasMcpToken == true, registered == false )
            then
                insert(Verdict.alert("mcp-like", "low", "lookup of " + $s.host()));
            end
            rule "odd-port"
            when
                $s : Subject( eventType in ("tls", "http"), port > 9000 || port < 10, path not matches "/x.*" )
            then
                insert(Verdict.alert("odd-port", "low", $s.endpoint()));
            end
            rule "new"
            when
                $s : Subject( eventType == "tls", firstSight == true )
                not Subject( lookalikeOf != "" )
            then
                insert(Verdict.alert("new", "info", $s.endpoint()));
            end
            """;

    private static RuleSet compile(String drl) {
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("r.drl", drl.getBytes(StandardCharsets.UTF_8));
        CompiledRules c = DrlCompiler.compile(files);
        assertTrue(c.ok(), c.errors().toString());
        return new RuleSet(c.kieBase(), c.hash(), c.rules(), java.time.Instant.now(), c.firstSightMentions());
    }

    private static String rule(String when) {
        return HEAD + "rule \"x\"\nwhen\n    " + when + "\nthen\nend\n";
    }

    @Test
    void aSetOfSubjectPatternsOverFieldsAndLiteralsHasProjections() {
        RuleSet r = compile(SHAPED);
        assertNotNull(r.silent, r.notSilentBecause);
        assertEquals(List.of("eventType", "firstSight", "lookalikeOf", "nameHasMcpToken", "path", "port",
                "registered"), r.silent.fields());
    }

    @Test
    void anythingElseTurnsProjectionsOff() {
        List<String> off = List.of(
                "$s : Subject( $h : host )\n    Subject( host == $h )",           // a join through a variable
                "Subject( host == marker )",                                      // a global
                "Subject( host.length() > 3 )",                                   // a method call
                "Subject( host != \"\" )\n    DnsEvent( rrname == \"x.test\" )",  // the event itself
                "Subject( )\n    eval( 1 > 0 )",
                "Object( )",
                "Subject( ) from java.util.Collections.emptyList()",
                "Number( intValue > 0 ) from accumulate( Subject( $p : port ), sum( $p ) )");
        for (String when : off) {
            RuleSet r = compile(rule(when));
            assertNull(r.silent, when);
            assertNotNull(r.notSilentBecause, when);
        }
        RuleSet timed = compile(HEAD + "rule \"x\" timer (int: 1s)\nwhen\n    Subject( )\nthen\nend\n");
        assertNull(timed.silent);
        assertTrue(timed.notSilentBecause.contains("time"), timed.notSilentBecause);
        RuleSet dated = compile(HEAD + "rule \"x\" date-expires \"01-Jan-2099\"\nwhen\n    Subject( )\nthen\nend\n");
        assertNull(dated.silent);
    }

    @Test
    void theSameVerdictsWithFewerEntries(@TempDir Path tmp) throws Exception {
        Path shaped = Files.createDirectories(tmp.resolve("shaped"));
        Path every = Files.createDirectories(tmp.resolve("every"));
        Events.write(shaped.resolve("r.drl"), SHAPED);
        // the same rules plus one that never fires but reads the event: every subject enters the engine
        Events.write(every.resolve("r.drl"), SHAPED + """
                rule "never"
                when
                    DnsEvent( rrname == "never.invalid" )
                then
                end
                """);
        List<WardenEvent> events = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 300; i++) {
                events.add(KeyedDecisionsTest.dns(Events.CLIENT, (i % 10 == 0 ? "mcp" : "www") + i + ".example.test"));
                events.add(KeyedDecisionsTest.tls(Events.CLIENT, "s" + i + ".example.test", "192.0.2.1",
                        i % 3 == 0 ? 9443 : 443));
                events.add(KeyedDecisionsTest.http(Events.CLIENT, "h" + (i % 7) + ".test", i % 5 == 0 ? 8 : 80, "/"));
            }
        }
        Duration ttl = Duration.ofMinutes(5);
        try (PolicyImpl a = new PolicyImpl(new PolicyConfig(shaped, null, false, ttl, 10), 50);
             PolicyImpl b = new PolicyImpl(new PolicyConfig(every, null, false, ttl, 10), 50)) {
            assertNotNull(a.rulesInForce().silent);
            assertNull(b.rulesInForce().silent);
            long a0 = a.rulesInForce().entries();
            long b0 = b.rulesInForce().entries();
            int verdicts = 0;
            HashSet<String> rules = new HashSet<>();
            for (WardenEvent e : events) {
                List<VerdictEvent> va = a.judge(e);
                List<VerdictEvent> vb = b.judge(e);
                assertEquals(describe(vb), describe(va), e.toString());
                verdicts += va.size();
                va.forEach(v -> rules.add(v.rule()));
            }
            assertEquals(java.util.Set.of("mcp-like", "odd-port", "new"), rules);
            assertTrue(verdicts > 300, "verdicts: " + verdicts);
            long entriesA = a.rulesInForce().entries() - a0;
            long entriesB = b.rulesInForce().entries() - b0;
            assertTrue(entriesA * 2 < entriesB, "entries with projections " + entriesA + ", without " + entriesB);
        }
    }

    @Test
    void aRuleThatFiresWithoutAVerdictStillRunsForEverySubject(@TempDir Path tmp) {
        Events.write(tmp.resolve("r.drl"), HEAD + """
                rule "count"
                when
                    Subject( eventType == "dns" )
                then
                    SilentProjectionsTest.SIDE_EFFECTS.incrementAndGet();
                end
                """);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(tmp, null, false, Duration.ZERO, 10), 50)) {
            assertNotNull(p.rulesInForce().silent);
            SIDE_EFFECTS.set(0);
            for (int i = 0; i < 50; i++) {
                assertTrue(p.judge(KeyedDecisionsTest.dns(Events.CLIENT, "n" + i + ".test")).isEmpty());
            }
            assertEquals(50, SIDE_EFFECTS.get(), "a firing without a verdict is not silence");
        }
    }

    @Test
    void firstSightMattersOnlyWhereAPatternReadsIt() {
        RuleSet shaped = compile(SHAPED); // "new": Subject( eventType == "tls", firstSight == true )
        assertTrue(shaped.firstSightMatters("tls"));
        assertTrue(!shaped.firstSightMatters("dns") && !shaped.firstSightMatters("http")
                && !shaped.firstSightMatters("mcp"));
        // read without an event type: it matters for all
        assertTrue(compile(rule("Subject( firstSight == true )")).firstSightMatters("dns"));
        // named anywhere else (here a consequence), or a set without projections: it matters for all
        assertTrue(compile(HEAD + """
                rule "x" when $s : Subject( eventType == "tls", firstSight == true ) then end
                rule "y" when $s : Subject( eventType == "dns" ) then
                    insert(Verdict.alert("y", "low", "first: " + $s.firstSight()));
                end
                """).firstSightMatters("dns"));
        assertTrue(compile(rule("Subject( eventType == \"tls\" )\n    DnsEvent( )")).firstSightMatters("dns"));
        // comments do not count; words in strings do
        assertEquals(1, SilentProjections.mentions("a firstSight // firstSight\n/* firstSight */ firstSights", "firstSight"));
        assertEquals(2, SilentProjections.mentions("x == \"http://a firstSight\" firstSight", "firstSight"));
    }

    @Test
    void aFirstSightIsCachedWhereNoRuleCanTellIt(@TempDir Path tmp) {
        Events.write(tmp.resolve("r.drl"), HEAD + """
                rule "first-tls"
                when
                    $s : Subject( eventType == "tls", firstSight == true )
                then
                    SilentProjectionsTest.SIDE_EFFECTS.incrementAndGet();
                    insert(Verdict.alert("first-tls", "info", $s.endpoint()));
                end
                rule "mcp-like-dns"
                when
                    $s : Subject( eventType == "dns", nameHasMcpToken == true )
                then
                    SilentProjectionsTest.SIDE_EFFECTS.incrementAndGet();
                    insert(Verdict.alert("mcp-like-dns", "low", $s.host()));
                end
                """);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(tmp, null, false, Duration.ofMinutes(5), 10), 50)) {
            SIDE_EFFECTS.set(0);
            long e0 = p.rulesInForce().entries();
            for (int i = 0; i < 5; i++) {
                assertEquals(List.of("alert:mcp-like-dns:mcp.a.test:mcp.a.test"),
                        describe(p.judge(KeyedDecisionsTest.dns(Events.CLIENT, "mcp.a.test"))));
            }
            assertEquals(1, SIDE_EFFECTS.get(), "a DNS first sighting is decided once, then cached");
            assertEquals(1, p.rulesInForce().entries() - e0);
            assertEquals(List.of("alert:first-tls:x.test:443:x.test:443"),
                    describe(p.judge(KeyedDecisionsTest.tls(Events.CLIENT, "x.test", "192.0.2.1", 443))));
            for (int i = 0; i < 3; i++) {
                assertTrue(p.judge(KeyedDecisionsTest.tls(Events.CLIENT, "x.test", "192.0.2.1", 443)).isEmpty());
            }
            assertEquals(2, SIDE_EFFECTS.get());
            assertEquals(3, p.rulesInForce().entries() - e0,
                    "a TLS first sighting is not cached: the second sighting is decided again, then cached");
        }
    }

    @Test
    void constraintWords() {
        java.util.Set<String> fields = new java.util.TreeSet<>();
        assertNull(SilentProjections.words("host matches \"a\\\\.$b\" && port in (1, 2)", fields));
        assertEquals(java.util.Set.of("host", "port"), fields);
        assertNotNull(SilentProjections.words("host == $h", fields));
        assertNotNull(SilentProjections.words("this.host == \"a\"", fields));
        assertNotNull(SilentProjections.words("host.length > 2", fields));
        assertNull(SilentProjections.words("port > 1.5", fields));
    }

    private static List<String> describe(List<VerdictEvent> v) {
        return v.stream().map(e -> e.action() + ":" + e.rule() + ":" + e.subject() + ":" + e.reason()).toList();
    }
}
