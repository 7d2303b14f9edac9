package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

public class CacheTest {
    /** Incremented by the test rule's consequence: counts entries into the engine. */
    public static final AtomicInteger FIRED = new AtomicInteger();

    private static final String COUNTING = """
            package t
            import io.mcpwarden.policy.facts.Subject
            import io.mcpwarden.policy.facts.Verdict
            import io.mcpwarden.policy.internal.CacheTest
            rule "count"
            when
                $s : Subject( eventType == "tls" )
            then
                CacheTest.FIRED.incrementAndGet();
                insert(Verdict.alert("count", "low", $s.host()));
            end
            """;

    @Test
    void repeatedEventsDoNotEnterTheEngineWithinTheTtl(@TempDir Path dir) {
        Events.write(dir.resolve("c.drl"), COUNTING);
        FIRED.set(0);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ofMinutes(5), 10), 50)) {
            assertEquals(1, p.info().rules(), p.info().toString());
            for (int i = 0; i < 50; i++) {
                assertEquals("x.test", p.judge(Events.tls("x.test")).get(0).reason());
            }
            // no rule reads firstSight: the first sighting is decided once and cached (where a rule does read it,
            // the first sighting is not cached and the second judgement fills the cache: KeyedDecisionsTest)
            assertEquals(1, FIRED.get());
            p.judge(Events.tls("y.test"));
            assertEquals(2, FIRED.get(), "another subject enters the engine");
        }
    }

    @Test
    void zeroTtlDisablesTheCache(@TempDir Path dir) {
        Events.write(dir.resolve("c.drl"), COUNTING);
        FIRED.set(0);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ZERO, 10), 50)) {
            for (int i = 0; i < 20; i++) {
                p.judge(Events.tls("x.test"));
            }
            assertEquals(20, FIRED.get());
        }
    }
}
