package io.mcpwarden.bench;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.pipeline.internal.Pipeline;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The pipeline over a capture file in this process, several rounds, events serialised to a discarding
 * stream: {@code java -cp benchmarks.jar io.mcpwarden.bench.InspectFile FILE [ROUNDS]}. For profiling the
 * pipeline without the framework's start-up.
 *
 * <p>With {@code -Drules=DIR} (and optionally {@code -Dregistry=FILE}) the rounds alternate: one without rules,
 * one judged by a policy opened (compiled) before the round starts, with empty caches, so that each pair shows
 * the steady-state cost of judging at the same JIT warmth; the ratio of each pair is printed. With
 * {@code -DkeepPolicy=true} the judged rounds share one policy, whose verdict caches are warm after the first (a
 * long-running appliance that sees the same names again); verdicts are cached for an hour in both modes.
 * With rounds without rules on both sides of at least two judged rounds, it ends with the median, after the
 * first judged round (the first to run the judging path, before the JIT has compiled it), of each judged round's
 * time against the mean of the two rounds around it: the throughput with rules against without, every name new
 * to the policy of its round. {@code -Dthreads=N} runs the pipeline with N threads (default 1: dissection on the main thread, events on
 * the events thread).
 */
public final class InspectFile {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String rules = System.getProperty("rules");
        String registry = System.getProperty("registry");
        boolean keep = Boolean.getBoolean("keepPolicy");
        Policy kept = null;
        double lastPlain = 0;
        java.util.List<Double> plain = new java.util.ArrayList<>();
        java.util.List<Double> judgedSeconds = new java.util.ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean judged = rules != null && r % 2 == 1;
            Policy policy = !judged ? null : kept != null ? kept : PolicyService.standalone().open(new PolicyConfig(
                    Path.of(rules), registry == null ? null : Path.of(registry), false, Duration.ofHours(1), 100));
            kept = keep ? policy != null ? policy : kept : null;
            try (PacketSource src = CaptureFiles.open(file);
                 EveJsonSink eve = new EveJsonSink(new BufferedOutputStream(OutputStream.nullOutputStream(), 1 << 16), true)) {
                EventSink sink = policy == null ? eve : judging(eve, policy);
                InspectionSummary s = new Pipeline(sink, InspectOptions.DEFAULTS.withThreads(Integer.getInteger("threads", 1))).run(src, RunControl.NONE);
                System.out.printf("round %d%s: %d packets, %.2f s, %.2f Gbit/s, %.0f kpkt/s, events %s%s%n", r,
                        judged ? " (rules " + policy.info().rules() + ")" : rules != null ? " (no rules)" : "",
                        s.packets(), s.seconds(), s.gbps(), s.packets() / s.seconds() / 1e3, s.eventsByType(),
                        judged && lastPlain > 0 ? String.format(", time ratio rules/no-rules %.3f", s.seconds() / lastPlain) : "");
                (judged ? judgedSeconds : plain).add(s.seconds());
                lastPlain = judged ? lastPlain : s.seconds();
            } finally {
                if (policy != null && !keep) {
                    policy.close();
                }
            }
        }
        if (kept != null) {
            kept.close();
        }
        // judged round i (round 2i+1) against the mean of the rounds without rules around it (2i and 2i+2): the
        // JIT may still be speeding both up, so the round before alone would flatter the round without rules
        java.util.List<Double> ratios = new java.util.ArrayList<>();
        for (int i = 0; i < judgedSeconds.size() && i + 1 < plain.size(); i++) {
            ratios.add(judgedSeconds.get(i) / ((plain.get(i) + plain.get(i + 1)) / 2));
        }
        if (ratios.size() >= 2) {
            // the first pair carries the JIT's first compilation of the judging path; the others are throughput
            java.util.List<Double> warm = new java.util.ArrayList<>(ratios.subList(1, ratios.size()));
            java.util.Collections.sort(warm);
            int n = warm.size();
            double median = n % 2 == 1 ? warm.get(n / 2) : (warm.get(n / 2 - 1) + warm.get(n / 2)) / 2;
            System.out.printf("throughput ratio rules/no-rules (each judged round against the mean of the rounds "
                    + "around it), median of %d after the first: %.3f (min %.3f, max %.3f; first %.3f)%n", n, median,
                    warm.get(0), warm.get(n - 1), ratios.get(0));
        }
    }

    /** What the appliance's judging sink does per event: the event, then its verdicts. */
    private static EventSink judging(EventSink down, Policy policy) {
        return new EventSink() {
            @Override
            public void accept(WardenEvent e) {
                down.accept(e);
                for (VerdictEvent v : policy.judge(e)) {
                    down.accept(v);
                }
            }

            @Override
            public void flush() {
                down.flush();
            }
        };
    }

    private InspectFile() {
    }
}
