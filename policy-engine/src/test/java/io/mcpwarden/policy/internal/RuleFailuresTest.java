package io.mcpwarden.policy.internal;

import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleFailuresTest {

    @Test
    void aThrowingRuleIsCountedAndTheOthersStillJudge(@TempDir Path dir) {
        Events.write(dir.resolve("throws.drl"), """
                package t
                import io.mcpwarden.policy.facts.Subject
                import io.mcpwarden.policy.facts.Verdict
                rule "thrower" salience 10
                when
                    Subject( eventType == "mcp" )
                then
                    if (true) { throw new IllegalStateException("boom"); }
                end
                rule "good"
                when
                    Subject( eventType == "mcp" )
                then
                    insert(Verdict.block("good", "high", "judged"));
                end
                """);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ZERO, 10), 50)) {
            for (int i = 0; i < 3; i++) {
                List<VerdictEvent> v = p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c"));
                assertEquals(1, v.size(), v.toString());
                assertEquals("good", v.get(0).rule());
            }
            assertEquals(3L, p.ruleFailures().get("thrower"), p.ruleFailures().toString());
        }
    }

    @Test
    void aLoopingRuleIsBoundedAndLogged(@TempDir Path dir) {
        Events.write(dir.resolve("loop.drl"), """
                package t
                import io.mcpwarden.policy.facts.Subject
                import io.mcpwarden.policy.facts.Verdict
                rule "looper"
                when
                    $s : Subject( eventType == "mcp" )
                then
                    update($s);
                end
                rule "verdict" salience 10
                when
                    Subject( eventType == "mcp" )
                    not Verdict( rule == "verdict" )
                then
                    insert(Verdict.alert("verdict", "low", "still judged"));
                end
                """);
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ZERO, 25), 50)) {
            long t0 = System.nanoTime();
            List<VerdictEvent> v = p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c"));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "bounded");
            assertEquals(List.of("verdict"), v.stream().map(VerdictEvent::rule).toList());
            assertEquals(1L, p.firingLimitHits().values().stream().mapToLong(Long::longValue).sum(),
                    p.firingLimitHits().toString());
            // the policy is still usable afterwards
            assertEquals(1, p.judge(Events.mcp("b.test:80/mcp", "2025-11-25", "c")).size());
        }
    }
}
