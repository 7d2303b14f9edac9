package io.mcpwarden.rules;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.pipeline.internal.Pipeline;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped pack judges every corpus capture exactly as the same pack does with its shortcuts turned off:
 * subjects skipping Drools where it fired nothing for their projection, and first sightings cached where no rule
 * tells them apart. One extra rule that reads the event itself turns both off; it never fires.
 */
class ShortcutEquivalenceTest {
    private static final String NEVER = """
            package bench.off
            import io.mcpwarden.model.DnsEvent
            rule "never" when DnsEvent( rrname == "never.invalid" ) then end
            """;

    @Test
    void sameVerdictsWithAndWithoutTheShortcuts(@TempDir Path tmp) throws Exception {
        Path off = Files.createDirectories(tmp.resolve("off"));
        try (Stream<Path> files = Files.list(RulePack.RULES)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(f, off.resolve(f.getFileName()));
            }
        }
        Files.writeString(off.resolve("zz-never.drl"), NEVER);
        List<Path> captures;
        Assumptions.assumeTrue(Files.isDirectory(CorpusVerdictsTest.CORPUS), "corpus not found");
        try (Stream<Path> s = Files.list(CorpusVerdictsTest.CORPUS)) {
            captures = s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                    .sorted().toList();
        }
        assertTrue(captures.size() >= 10, "corpus captures: " + captures);
        PolicyService service = PolicyService.standalone();
        Duration ttl = Duration.ofMinutes(5);
        int verdicts = 0;
        try (Policy on = service.open(new PolicyConfig(RulePack.RULES, RulePack.REGISTRY, false, ttl, 100));
             Policy without = service.open(new PolicyConfig(off, RulePack.REGISTRY, false, ttl, 100))) {
            assertEquals(on.info().rules() + 1, without.info().rules());
            for (Path pcap : captures) {
                List<WardenEvent> events = new ArrayList<>();
                try (PacketSource src = CaptureFiles.open(pcap)) {
                    new Pipeline(events::add, InspectOptions.DEFAULTS).run(src, RunControl.NONE);
                }
                // twice: the second pass is judged from the caches the first one filled
                for (int pass = 0; pass < 2; pass++) {
                    for (WardenEvent e : events) {
                        List<String> a = describe(on.judge(e));
                        assertEquals(describe(without.judge(e)), a, pcap.getFileName() + " pass " + pass + ": " + e);
                        verdicts += a.size();
                    }
                }
            }
        }
        assertTrue(verdicts > 20, "verdicts compared: " + verdicts);
    }

    private static List<String> describe(List<VerdictEvent> verdicts) {
        return verdicts.stream().map(v -> v.tsMicros() + " " + v.flow() + " " + v.action() + " " + v.rule() + " "
                + v.severity() + " " + v.subjectType() + " " + v.subject() + " " + v.reason()).toList();
    }
}
