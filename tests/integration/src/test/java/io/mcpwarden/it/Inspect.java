package io.mcpwarden.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code warden inspect --pcap F --events OUT/NAME.jsonl}, run once per capture per test JVM and
 * shared by the test classes. OUT is {@code <warden.it.work>/inspect}, laid out as the corpus
 * scorer expects (one NAME.jsonl per NAME.pcap).
 */
final class Inspect {
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("warden.it.inspectTimeout", 180));

    record Result(Path pcap, Path events, Harness.Run run) {}

    private static final Map<Path, Result> CACHE = new ConcurrentHashMap<>();

    private Inspect() {}

    static Path outDir() {
        return Harness.work("inspect");
    }

    static Result of(Path pcap) {
        return CACHE.computeIfAbsent(pcap.toAbsolutePath().normalize(), Inspect::inspect);
    }

    /** Runs inspect and returns its events; fails with the launcher's output if it did not succeed. */
    static List<JsonNode> events(Path pcap) {
        Result r = of(pcap);
        if (!r.run().ok()) {
            throw new AssertionError("warden inspect failed on " + pcap.getFileName() + ": " + r.run().describe());
        }
        if (!Files.isRegularFile(r.events())) {
            throw new AssertionError("warden inspect exited 0 on " + pcap.getFileName() + " but wrote no events file "
                    + r.events() + "; output:\n" + r.run().tail(20));
        }
        return Harness.readJsonLines(r.events());
    }

    private static Result inspect(Path pcap) {
        String name = pcap.getFileName().toString().replaceFirst("\\.pcap(ng)?$", "");
        Path out = outDir().resolve(name + ".jsonl");
        Path log = Harness.work("logs").resolve("inspect-" + name + ".log");
        try {
            Files.deleteIfExists(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Harness.Run run = Harness.run(List.of(Harness.warden().toString(), "inspect", "--pcap", pcap.toString(),
                "--events", out.toString()), TIMEOUT, log);
        System.out.printf("[inspect] %s: exit %d in %d ms%s%n", pcap.getFileName(), run.exitCode(),
                run.took().toMillis(), run.timedOut() ? " (TIMED OUT)" : "");
        return new Result(pcap, out, run);
    }
}
