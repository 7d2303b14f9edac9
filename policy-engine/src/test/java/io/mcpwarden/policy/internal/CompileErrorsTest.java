package io.mcpwarden.policy.internal;

import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RuleCheck;
import io.mcpwarden.policy.RuleError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompileErrorsTest {
    private final PolicyService service = PolicyService.standalone();

    @Test
    void syntaxErrorHasFileLineAndColumn(@TempDir Path dir) {
        Events.write(dir.resolve("good.drl"), Events.stampRule("ok"));
        Events.write(dir.resolve("sub/broken.drl"), """
                package test.broken
                import io.mcpwarden.policy.facts.Subject
                rule "broken"
                when
                    Subject( eventType == "mcp"
                then
                end
                """);
        RuleCheck c = service.check(dir);
        assertFalse(c.ok());
        assertEquals(0, c.rules());
        assertFalse(c.errors().isEmpty());
        RuleError e = c.errors().get(0);
        assertEquals("sub/broken.drl", e.file(), c.errors().toString());
        assertTrue(e.line() >= 5 && e.line() <= 6, "line of the unclosed pattern: " + e);
        assertTrue(e.column() > 0, "column: " + e);
        assertFalse(e.message().isBlank());
    }

    @Test
    void consequenceCompileErrorNamesTheFileAndLine(@TempDir Path dir) {
        Events.write(dir.resolve("bad-java.drl"), """
                package test.badjava
                import io.mcpwarden.policy.facts.Subject
                import io.mcpwarden.policy.facts.Verdict
                rule "bad-java"
                when
                    $s : Subject( eventType == "mcp" )
                then
                    insert(Verdict.block("bad-java", "high", $s.noSuchField()));
                end
                """);
        RuleCheck c = service.check(dir);
        assertFalse(c.ok());
        RuleError e = c.errors().get(0);
        assertEquals("bad-java.drl", e.file(), c.errors().toString());
        assertTrue(e.line() > 0, "line: " + e);
        assertTrue(e.message().contains("noSuchField"), e.message());
    }

    @Test
    void goodSetChecksOkWithHashAndCount(@TempDir Path dir) {
        Events.write(dir.resolve("a.drl"), Events.stampRule("a"));
        RuleCheck c = service.check(dir);
        assertTrue(c.ok(), c.errors().toString());
        assertEquals(1, c.rules());
        assertEquals(12, c.hash().length());
        Events.write(dir.resolve("a.drl"), Events.stampRule("b"));
        assertFalse(c.hash().equals(service.check(dir).hash()), "hash follows the content");
    }

    @Test
    void openWithBrokenRulesStartsEmptyAndReportsRejection(@TempDir Path dir) {
        Events.write(dir.resolve("broken.drl"), "rule \"x\" when then");
        try (Policy p = service.open(new PolicyConfig(dir, null, false, Duration.ZERO, 10))) {
            assertEquals(0, p.info().rules());
            assertFalse(p.info().lastErrors().isEmpty());
            List<RulesEvent> events = p.drainRulesEvents();
            assertTrue(events.stream().anyMatch(r -> r.action().equals("rejected") && "broken.drl".equals(r.file())
                    && r.line() > 0), events.toString());
            assertTrue(p.judge(Events.mcp("x.test:80/mcp", "2025-11-25", "c")).isEmpty());
        }
    }
}
