package io.mcpwarden.rules;

import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RuleCheck;
import io.mcpwarden.policy.internal.PolicyServiceImpl;


import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (a plain main, not a test): verdict throughput and p99 latency with 1, 100 and 1,000 rules of the
 * shipped kinds, KieBase build and swap time for 1,000 rules, heap held by the KieBase.
 * Run: {@code mvn -q -B -pl detection-rules test-compile exec:java -Pbench}.
 */
public final class PolicyBench {
    private static final String HEAD = """
            package bench
            import io.mcpwarden.policy.facts.Subject
            import io.mcpwarden.policy.facts.Verdict
            """;

    private PolicyBench() {
    }

    /** n rules cycling over the shipped kinds, each with its own == constant so that they are all distinct. */
    static String rules(int n) {
        StringBuilder b = new StringBuilder(HEAD);
        for (int i = 0; i < n; i++) {
            String when = switch (i % 5) {
                case 0 -> "Subject( eventType == \"mcp\", registered == false, host == \"h" + i + ".shadow.test\" )";
                case 1 -> "Subject( eventType == \"mcp\", firstSight == true, port == " + (10000 + i) + " )";
                case 2 -> "Subject( eventType == \"tls\", nameHasMcpToken == true, host == \"mcp" + i + ".test\" )";
                case 3 -> "Subject( eventType == \"mcp\", deprecatedVersion == true, clientName == \"c" + i + "\" )";
                default -> "Subject( eventType == \"mcp\", registered == true, registryName == \"r" + i + "\" )";
            };
            b.append("rule \"r").append(i).append("\"\nwhen\n    ").append(when)
                    .append("\nthen\n    insert(Verdict.alert(\"r").append(i).append("\", \"low\", \"x\"));\nend\n");
        }
        // the shipped shadow rule itself, so that every benchmark event gets one verdict
        b.append("rule \"shadow\"\nwhen\n    Subject( eventType == \"mcp\", registered == false )\nthen\n"
                + "    insert(Verdict.block(\"shadow\", \"high\", \"x\"));\nend\n");
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("warden-bench");
        PolicyServiceImpl service = (PolicyServiceImpl) PolicyService.standalone();
        for (int n : new int[] {1, 100, 1000}) {
            Path dir = root.resolve("r" + n);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("bench.drl"), rules(n - 1));
            for (boolean cache : new boolean[] {false, true}) {
                PolicyConfig cfg = new PolicyConfig(dir, RulePack.REGISTRY, false,
                        cache ? Duration.ofSeconds(60) : Duration.ZERO, 100);
                try (Policy p = service.open(cfg)) {
                    List<WardenEvent> events = events(1000);
                    run(p, events, 50_000); // warm-up
                    long[] lat = new long[200_000];
                    long t0 = System.nanoTime();
                    int verdicts = 0;
                    for (int i = 0; i < lat.length; i++) {
                        long s = System.nanoTime();
                        verdicts += p.judge(events.get(i % events.size())).size();
                        lat[i] = System.nanoTime() - s;
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    Arrays.sort(lat);
                    System.out.printf("rules=%4d cache=%-5s  %,10.0f events/s  p50=%6.1f us  p99=%6.1f us  (%d verdicts)%n",
                            p.info().rules(), cache, lat.length / secs, lat[lat.length / 2] / 1e3,
                            lat[(int) (lat.length * 0.99)] / 1e3, verdicts);
                }
            }
        }
        // DNS lookups of unremarkable names, each name new, no cache, through the shipped pack: the engine fires
        // nothing for them, so after the first one they skip it (silent projections); then the same pack plus one
        // rule that reads the event, which turns that off
        Path off = root.resolve("pack-plus-event-rule");
        Files.createDirectories(off);
        try (var files = Files.list(RulePack.RULES)) {
            for (Path f : files.toList()) {
                Files.copy(f, off.resolve(f.getFileName()));
            }
        }
        Files.writeString(off.resolve("zz-event.drl"), """
                package bench
                import io.mcpwarden.model.DnsEvent
                rule "never" when DnsEvent( rrname == "never.invalid" ) then end
                """);
        for (Path dir : List.of(RulePack.RULES, off)) {
            try (Policy p = service.open(new PolicyConfig(dir, RulePack.REGISTRY, false, Duration.ZERO, 100))) {
                List<WardenEvent> warm = new java.util.ArrayList<>();
                List<WardenEvent> events = new java.util.ArrayList<>();
                for (int i = 0; i < 250_000; i++) {
                    (i < 50_000 ? warm : events).add(RulePack.dnsQuery("www" + i + ".example.test"));
                }
                run(p, warm, warm.size());
                long t0 = System.nanoTime();
                int verdicts = run(p, events, events.size());
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("rules=%4d cache=false  %,10.0f events/s  DNS lookups of new names, no verdict: %s "
                        + "(%d verdicts)%n", p.info().rules(), events.size() / secs,
                        dir == off ? "+1 rule on DnsEvent, every subject enters Drools" : "shipped pack", verdicts);
            }
        }
        // build + swap of 1,000 rules, warmed
        Path big = root.resolve("r1000");
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            RuleCheck c = service.check(big);
            System.out.printf("check (compile) of %d rules: %d ms%n", c.rules(), (System.nanoTime() - t0) / 1_000_000);
        }
        try (Policy p = service.open(new PolicyConfig(big, RulePack.REGISTRY, true, Duration.ZERO, 100), 20)) {
            for (int i = 0; i < 3; i++) {
                String before = p.info().hash();
                long t0 = System.nanoTime();
                Files.writeString(big.resolve("bench.drl"), rules(999) + "\n// v" + i + "\n");
                while (p.info().hash().equals(before)) {
                    Thread.sleep(1);
                }
                System.out.printf("hot reload of 1000 rules (write → two stable scans at 20 ms → compile → warm → "
                        + "swap): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            }
        }
        // heap held by one 1,000-rule policy
        long base = usedAfterGc();
        Policy held = service.open(new PolicyConfig(big, null, false, Duration.ZERO, 100));
        held.judge(events(1).get(0));
        long withBase = usedAfterGc();
        System.out.printf("heap held by a 1000-rule policy (KieBase + session pool): %.1f MB%n",
                (withBase - base) / 1e6);
        held.close();
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static int run(Policy p, List<WardenEvent> events, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v += p.judge(events.get(i % events.size())).size();
        }
        return v;
    }

    static List<WardenEvent> events(int n) {
        WardenEvent[] out = new WardenEvent[n];
        for (int i = 0; i < n; i++) {
            McpEvent e = RulePack.mcp("s" + i + ".unlisted.test:8080/mcp", i % 3 == 0 ? "2025-03-26" : "2025-11-25",
                    "client" + (i % 7));
            out[i] = e;
        }
        return List.of(out);
    }

}
