package io.mcpwarden.runtime;

import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.Registry;
import io.mcpwarden.policy.RuleSetInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events that arrive while the policy opens wait, in order, and are judged once it is open. */
class JudgingSinkTest {

    /** Judges every DNS query with one verdict naming the query; reports one rule-set load. */
    static final class StubPolicy implements Policy {
        private boolean loadedReported;

        @Override
        public List<VerdictEvent> judge(WardenEvent event) {
            if (event instanceof DnsEvent d) {
                return List.of(new VerdictEvent(d.tsMicros(), d.flow(), "alert", "r", "low", d.rrname(), "h",
                        d.rrname(), "dns"));
            }
            return List.of();
        }

        @Override
        public RuleSetInfo info() {
            return new RuleSetInfo("h", 1, Instant.EPOCH, List.of());
        }

        @Override
        public synchronized List<RulesEvent> drainRulesEvents() {
            if (loadedReported) {
                return List.of();
            }
            loadedReported = true;
            return List.of(new RulesEvent(0, "loaded", "h", 1, null, 0, 0, null));
        }

        @Override
        public Registry registry() {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.mcpwarden.policy.ReloadReport reload() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** Keeps what it is given, as "type:name" lines. */
    static final class Collect implements EventSink {
        final List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void accept(WardenEvent e) {
            got.add(e instanceof DnsEvent d ? "dns:" + d.rrname()
                    : e instanceof VerdictEvent v ? "verdict:" + v.subject()
                    : e instanceof RulesEvent r ? "rules:" + r.action() : e.eventType());
        }
    }

    static DnsEvent dns(String name) {
        return new DnsEvent(1, new FlowRef(1, "c", "10.0.0.1", 5353, "10.0.0.53", 53, "UDP"), "query", 1, name, "A",
                null, List.of());
    }

    @Test
    void eventsWaitForThePolicyAndKeepTheirOrder() {
        CompletableFuture<Policy> opening = new CompletableFuture<>();
        Collect out = new Collect();
        JudgingSink sink = new JudgingSink(out, opening);
        sink.accept(dns("a.test"));
        sink.accept(dns("b.test"));
        assertTrue(out.got.isEmpty(), "nothing is passed on before the policy is open: " + out.got);
        opening.complete(new StubPolicy());
        sink.accept(dns("c.test"));
        sink.flush();
        assertEquals(List.of("rules:loaded", "dns:a.test", "verdict:a.test", "dns:b.test", "verdict:b.test",
                "dns:c.test", "verdict:c.test"), out.got);
    }

    @Test
    void theOutputIsTheSameAsWithAPolicyOpenFromTheStart() {
        Collect early = new Collect();
        JudgingSink ready = new JudgingSink(early, new StubPolicy());
        Collect late = new Collect();
        CompletableFuture<Policy> opening = new CompletableFuture<>();
        JudgingSink waiting = new JudgingSink(late, opening);
        for (int i = 0; i < 100; i++) {
            ready.accept(dns("n" + i + ".test"));
            waiting.accept(dns("n" + i + ".test"));
            if (i == 60) {
                opening.complete(new StubPolicy());
            }
        }
        ready.flush();
        waiting.flush();
        assertEquals(early.got, late.got);
    }

    @Test
    void theTickOfEachSecondNeverWaitsForThePolicyAndLosesNothing() {
        CompletableFuture<Policy> opening = new CompletableFuture<>();
        Collect out = new Collect();
        JudgingSink sink = new JudgingSink(out, opening);
        sink.accept(dns("a.test"));
        sink.tick(); // returns at once: the policy is still opening
        assertTrue(out.got.isEmpty(), out.got.toString());
        opening.complete(new StubPolicy());
        sink.tick(); // now ready: the waiting events go out without another event arriving
        assertEquals(List.of("rules:loaded", "dns:a.test", "verdict:a.test"), out.got);
    }

    @Test
    void flushWaitsForThePolicy() throws Exception {
        CompletableFuture<Policy> opening = new CompletableFuture<>();
        Collect out = new Collect();
        JudgingSink sink = new JudgingSink(out, opening);
        sink.accept(dns("a.test"));
        CompletableFuture.runAsync(() -> {
            sleep(100);
            opening.complete(new StubPolicy());
        });
        sink.flush();
        assertEquals(List.of("rules:loaded", "dns:a.test", "verdict:a.test"), out.got);
    }

    @Test
    void beyondTheLimitTheNextEventWaitsForThePolicy() throws Exception {
        CompletableFuture<Policy> opening = new CompletableFuture<>();
        Collect out = new Collect();
        JudgingSink sink = new JudgingSink(out, opening, 2);
        sink.accept(dns("a.test"));
        sink.accept(dns("b.test"));
        CountDownLatch third = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            sink.accept(dns("c.test"));
            third.countDown();
        });
        t.start();
        assertFalse(third.await(300, TimeUnit.MILLISECONDS), "the third event waits while the policy opens");
        assertTrue(out.got.isEmpty(), out.got.toString());
        opening.complete(new StubPolicy());
        assertTrue(third.await(10, TimeUnit.SECONDS));
        t.join();
        assertEquals(List.of("rules:loaded", "dns:a.test", "verdict:a.test", "dns:b.test", "verdict:b.test",
                "dns:c.test", "verdict:c.test"), out.got);
    }

    @Test
    void aPolicyThatFailedToOpenJudgesNothingAndLosesNothing() {
        CompletableFuture<Policy> opening = new CompletableFuture<>();
        Collect out = new Collect();
        JudgingSink sink = new JudgingSink(out, opening);
        sink.accept(dns("a.test"));
        opening.completeExceptionally(new IllegalStateException("boom"));
        sink.accept(dns("b.test"));
        sink.flush();
        assertEquals(List.of("dns:a.test", "dns:b.test"), out.got);
    }

    @Test
    void withoutAPolicyEventsPassStraightOn() {
        Collect out = new Collect();
        JudgingSink sink = new JudgingSink(out, (Policy) null);
        sink.accept(dns("a.test"));
        assertEquals(List.of("dns:a.test"), out.got);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
