package io.mcpwarden.policy.internal;

import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.ReloadReport;
import io.mcpwarden.policy.ReloadReport.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code reload()} (SIGHUP, {@code systemctl reload}) reads rules and registry at once, without the watcher's
 * two-scan wait: the policies here do not watch, so only reload can have changed anything.
 */
class ReloadTest {

    @Test
    void reloadLoadsChangedRulesAtOnceAndLeavesUnchangedOnesAlone(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules");
        Events.write(rules.resolve("r.drl"), Events.stampRule("v1"));
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(rules, null, false, Duration.ZERO, 10), 60_000)) {
            String v1 = p.info().hash();
            p.drainRulesEvents();

            ReloadReport same = p.reload();
            assertEquals(Outcome.UNCHANGED, same.rules());
            assertEquals(Outcome.NONE, same.registry());
            assertEquals(v1, same.info().hash());
            assertTrue(p.drainRulesEvents().isEmpty(), "an unchanged set is not compiled or reported again");

            Events.write(rules.resolve("r.drl"), Events.stampRule("v2"));
            ReloadReport loaded = p.reload();
            assertEquals(Outcome.LOADED, loaded.rules(), loaded.describe());
            assertEquals(HotReloadTest.hashOf("r.drl", Events.stampRule("v2")), p.info().hash());
            assertEquals("v2", p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c")).get(0).reason());
            assertEquals(List.of("loaded"), p.drainRulesEvents().stream().map(RulesEvent::action).toList());
            assertTrue(loaded.describe().startsWith("rules loaded (" + p.info().hash() + ", 1 rule)"),
                    loaded.describe());
        }
    }

    @Test
    void reloadReportsABrokenRuleFileWithItsPositionAndKeepsTheLastGood(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules");
        Events.write(rules.resolve("r.drl"), Events.stampRule("v1"));
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(rules, null, false, Duration.ZERO, 10), 60_000)) {
            String good = p.info().hash();
            Events.write(rules.resolve("r.drl"), Events.stampRule("v1") + "\nrule \"half\" when Subject( then\n");
            ReloadReport r = p.reload();
            assertEquals(Outcome.REJECTED, r.rules());
            assertEquals(good, r.info().hash(), "last good set in force");
            assertEquals("r.drl", r.errors().get(0).file());
            assertTrue(r.errors().get(0).line() > 0, r.errors().toString());
            assertTrue(r.describe().startsWith("rules rejected (keeping " + good), r.describe());
            assertTrue(r.describe().contains("r.drl:"), r.describe());
            assertEquals("v1", p.judge(Events.mcp("a.test:80/mcp", "2025-11-25", "c")).get(0).reason());
            // the same broken content again is not compiled again, and is still reported as rejected
            p.drainRulesEvents();
            ReloadReport again = p.reload();
            assertEquals(Outcome.REJECTED, again.rules());
            assertEquals(r.errors(), again.errors());
            assertTrue(p.drainRulesEvents().isEmpty(), "not compiled (nor reported as an event) again");
        }
    }

    @Test
    void reloadAppliesARegistryChangeAndRejectsABadOneWithItsLine(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules");
        Events.write(rules.resolve("r.drl"), Events.REGISTERED_RULE);
        Path reg = dir.resolve("registry.yaml");
        Events.write(reg, "servers:\n  - name: a\n    endpoint: \"*.a.test\"\n");
        try (PolicyImpl p = new PolicyImpl(new PolicyConfig(rules, reg, false, Duration.ofMinutes(1), 10), 60_000)) {
            assertEquals("a", p.judge(Events.tls("x.a.test")).get(0).reason());
            Events.write(reg, "servers:\n  - name: b\n    endpoint: \"*.b.test\"\n    bogus: 1\n");
            ReloadReport bad = p.reload();
            assertEquals(Outcome.REJECTED, bad.registry());
            assertEquals(Outcome.UNCHANGED, bad.rules());
            assertEquals(4, bad.errors().get(0).line(), bad.errors().toString());
            assertEquals("a", p.judge(Events.tls("x.a.test")).get(0).reason(), "last good registry kept");

            Events.write(reg, "servers:\n  - name: b\n    endpoint: \"*.b.test\"\n");
            ReloadReport good = p.reload();
            assertEquals(Outcome.LOADED, good.registry(), good.describe());
            assertTrue(good.errors().isEmpty());
            assertTrue(p.judge(Events.tls("x.a.test")).isEmpty(), "cache cleared on registry swap");
            assertEquals("b", p.judge(Events.tls("y.b.test")).get(0).reason());

            Files.delete(reg);
            ReloadReport gone = p.reload();
            assertEquals(Outcome.REJECTED, gone.registry());
            assertTrue(gone.describe().contains("registry file not found"), gone.describe());
            assertEquals("b", p.judge(Events.tls("y.b.test")).get(0).reason(), "last good registry kept");
        }
    }
}
