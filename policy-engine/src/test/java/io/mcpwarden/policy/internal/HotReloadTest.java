package io.mcpwarden.policy.internal;

import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class HotReloadTest {
    private static final long SCAN = 10;

    static String hashOf(String name, String content) {
        TreeMap<String, byte[]> m = new TreeMap<>();
        m.put(name, content.getBytes(StandardCharsets.UTF_8));
        return Hashes.ofFiles(m);
    }

    static void await(BooleanSupplier cond, long millis, String what) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void brokenDrlWhileRunningIsRejectedAndVerdictsStayTheSame(@TempDir Path dir) throws Exception {
        Events.write(dir.resolve("r.drl"), Events.stampRule("v1"));
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, true, Duration.ZERO, 10), SCAN)) {
            String good = p.info().hash();
            p.drainRulesEvents();
            List<VerdictEvent> before = p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c"));
            Events.write(dir.resolve("r.drl"), Events.stampRule("v1") + "\nrule \"half\" when Subject( then\n");
            List<RulesEvent> got = new ArrayList<>();
            await(() -> {
                got.addAll(p.drainRulesEvents());
                return got.stream().anyMatch(e -> e.action().equals("rejected"));
            }, 20_000, "rejection");
            RulesEvent r = got.stream().filter(e -> e.action().equals("rejected")).findFirst().orElseThrow();
            assertEquals("r.drl", r.file());
            assertTrue(r.line() > 0, r.toString());
            assertEquals(good, r.ruleset(), "the last good set is named");
            assertEquals(good, p.info().hash());
            assertFalse(p.info().lastErrors().isEmpty());
            assertEquals(before, p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c")));
            // and a fixed file loads again
            Events.write(dir.resolve("r.drl"), Events.stampRule("v2"));
            await(() -> p.info().hash().equals(hashOf("r.drl", Events.stampRule("v2"))), 20_000, "reload");
            assertTrue(p.info().lastErrors().isEmpty());
            assertEquals("v2", p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c")).get(0).reason());
        }
    }

    @Test
    void hundredSwapsWhileJudgingNeverShowAHalfBuiltSet(@TempDir Path dir) throws Exception {
        Map<String, String> tagOfHash = new HashMap<>();
        Events.write(dir.resolve("r.drl"), Events.stampRule("v0"));
        tagOfHash.put(hashOf("r.drl", Events.stampRule("v0")), "v0");
        for (int i = 1; i <= 100; i++) {
            tagOfHash.put(hashOf("r.drl", Events.stampRule("v" + i)), "v" + i);
        }
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, true, Duration.ZERO, 10), SCAN)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong judged = new AtomicLong();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread judge = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        List<VerdictEvent> v = p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c"));
                        judged.incrementAndGet();
                        if (v.size() != 1) {
                            problems.add("expected one verdict, got " + v);
                            continue;
                        }
                        String tag = tagOfHash.get(v.get(0).ruleset());
                        if (tag == null || !tag.equals(v.get(0).reason())) {
                            problems.add("verdict " + v.get(0).reason() + " from set " + v.get(0).ruleset());
                        }
                    }
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }, "judge");
            judge.start();
            for (int i = 1; i <= 100; i++) {
                String content = Events.stampRule("v" + i);
                Events.writeAtomically(dir.resolve("r.drl"), content);
                String want = hashOf("r.drl", content);
                await(() -> p.info().hash().equals(want), 20_000, "set v" + i);
            }
            stop.set(true);
            judge.join(10_000);
            assertNull(thrown.get());
            assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + problems.peek());
            assertTrue(judged.get() > 100, "events judged during the swaps: " + judged.get());
            // a set is in force (its hash visible) a moment before its "loaded" event is queued: collect until the
            // last one is there
            List<RulesEvent> events = new java.util.ArrayList<>(p.drainRulesEvents());
            await(() -> {
                events.addAll(p.drainRulesEvents());
                return events.stream().filter(e -> e.action().equals("loaded")).count() >= 101;
            }, 5_000, "101 loaded events, got " + events.size());
            assertEquals(101, events.stream().filter(e -> e.action().equals("loaded")).count(), events.toString());
            assertEquals(0, events.stream().filter(e -> e.action().equals("rejected")).count(), events.toString());
            assertTrue(p.ruleFailures().isEmpty(), p.ruleFailures().toString());
        }
    }

    @Test
    void editorTempFilesAndWriteThenRenameDoNotFlap(@TempDir Path dir) throws Exception {
        Events.write(dir.resolve("r.drl"), Events.stampRule("v1"));
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, true, Duration.ZERO, 10), SCAN)) {
            String first = p.info().hash();
            p.drainRulesEvents();
            String garbage = "rule \"x\" when Subject( then";
            Events.write(dir.resolve(".r.drl.swp"), garbage);
            Events.write(dir.resolve("r.drl~"), garbage);
            Events.write(dir.resolve("#r.drl#"), garbage);
            Events.write(dir.resolve("new.drl.tmp"), garbage);
            Events.write(dir.resolve(".hidden.drl"), garbage);
            Thread.sleep(SCAN * 15);
            assertEquals(first, p.info().hash());
            assertTrue(p.drainRulesEvents().isEmpty(), "temp files are ignored");
            Events.writeAtomically(dir.resolve("new.drl"), Events.stampRule("n").replace("test.stamp", "test.n")
                    .replace("\"stamp\"", "\"n\""));
            await(() -> p.info().rules() == 2, 20_000, "two rules");
            Thread.sleep(SCAN * 10);
            List<RulesEvent> events = p.drainRulesEvents();
            assertEquals(1, events.size(), "one load, no flapping: " + events);
            assertEquals("loaded", events.get(0).action());
        }
    }

    @Test
    void registryErrorWhileRunningKeepsTheLastGood(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules");
        Events.write(rules.resolve("r.drl"), Events.REGISTERED_RULE);
        Path reg = dir.resolve("registry.yaml");
        Events.write(reg, "servers:\n  - name: a\n    endpoint: \"*.a.test\"\n");
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(rules, reg, true, Duration.ofMinutes(1), 10), SCAN)) {
            assertEquals("a", p.judge(Events.tls("x.a.test")).get(0).reason());
            p.drainRulesEvents();
            Events.write(reg, "servers:\n  - name: b\n    endpoint: \"*.b.test\"\n    bogus: 1\n");
            List<RulesEvent> got = new ArrayList<>();
            await(() -> {
                got.addAll(p.drainRulesEvents());
                return !got.isEmpty();
            }, 20_000, "registry rejection");
            assertEquals("rejected", got.get(0).action());
            assertEquals("registry.yaml", got.get(0).file());
            assertEquals(4, got.get(0).line(), got.get(0).toString());
            assertEquals("a", p.judge(Events.tls("x.a.test")).get(0).reason(), "last good registry kept");
            Events.write(reg, "servers:\n  - name: b\n    endpoint: \"*.b.test\"\n");
            await(() -> p.registry().servers().size() == 1 && p.registry().servers().get(0).name().equals("b"),
                    20_000, "registry swap");
            assertTrue(p.judge(Events.tls("x.a.test")).isEmpty(), "cache cleared on registry swap");
            assertEquals("b", p.judge(Events.tls("y.b.test")).get(0).reason());
        }
    }
}
