package io.mcpwarden.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Locations and child-process plumbing shared by the integration tests.
 *
 * <p>System properties: {@code warden.root} (repository root; default: walk up from the working
 * directory to the folder holding {@code warden} or {@code tools/netns/mcp-live.sh}),
 * {@code warden.shared} (default {@code /work/shared}), {@code warden.cmd} (the launcher; default
 * {@code <root>/warden}), {@code warden.it.work} (scratch folder; default {@code target/it-work}).
 */
final class Harness {
    static final ObjectMapper JSON = new ObjectMapper();

    private Harness() {}

    /** Result of a finished (or timed-out and killed) child process. */
    record Run(List<String> command, int exitCode, boolean timedOut, Path log, Duration took) {
        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        }

        /** Last lines of the output, for failure messages. */
        String tail(int lines) {
            List<String> all = output().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        String describe() {
            return String.join(" ", command)
                    + (timedOut ? " TIMED OUT after " + took.toSeconds() + " s" : " exited " + exitCode)
                    + "; output in " + log + ", last lines:\n" + tail(40);
        }
    }

    static Path root() {
        String prop = System.getProperty("warden.root");
        if (prop != null && !prop.isBlank() && isRoot(Path.of(prop))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRoot(p)) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found: set -Dwarden.root (looked for ./warden or "
                + "tools/netns/mcp-live.sh upwards from " + Path.of("").toAbsolutePath() + ")");
    }

    private static boolean isRoot(Path p) {
        return Files.isRegularFile(p.resolve("warden")) || Files.isRegularFile(p.resolve("tools/netns/mcp-live.sh"));
    }

    static Path shared() {
        String prop = System.getProperty("warden.shared");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        return Path.of("/work/shared");
    }

    static Path corpus() {
        Path c = shared().resolve("corpus/mcp");
        if (!Files.isDirectory(c)) {
            throw new IllegalStateException("corpus not found at " + c + " (set -Dwarden.shared)");
        }
        return c;
    }

    /** The launcher; fails with a clear message when it is not there yet. */
    static Path warden() {
        String prop = System.getProperty("warden.cmd");
        Path w = prop != null && !prop.isBlank() ? Path.of(prop) : root().resolve("warden");
        if (!Files.isExecutable(w)) {
            throw new AssertionError("the warden launcher " + w + " does not exist or is not executable");
        }
        return w;
    }

    static Path work(String name) {
        String prop = System.getProperty("warden.it.work");
        Path base = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("target/it-work");
        try {
            return Files.createDirectories(base.resolve(name)).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a command with stdin closed, stdout+stderr to {@code log}. On timeout: SIGTERM to the
     * process (scripts clean up in their traps), 20 s grace, then SIGKILL to it and its descendants.
     */
    /**
     * What the oracle (tshark) counted more often than warden: {@code 'key' tshark xN, warden xM} per key, in the
     * oracle's order.
     */
    static List<String> missing(Map<String, Integer> oracle, Map<String, Integer> found) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> o : oracle.entrySet()) {
            int have = found.getOrDefault(o.getKey(), 0);
            if (have < o.getValue()) {
                missing.add("'" + o.getKey() + "' tshark x" + o.getValue() + ", warden x" + have);
            }
        }
        return missing;
    }

    static Run run(List<String> command, Map<String, String> env, Path dir, Duration timeout, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("CI", pb.environment().getOrDefault("CI", "true"));
        pb.environment().putAll(env);
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    tree.addAll(p.descendants().toList());
                    p.destroyForcibly();
                }
                tree.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Run(List.copyOf(command), done ? p.exitValue() : -1, !done, log, took);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    static Run run(List<String> command, Duration timeout, Path log) {
        return run(command, Map.of(), root(), timeout, log);
    }

    /** True if {@code command --version}-like probe exits 0 within 20 s. */
    static boolean available(String... probe) {
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean isRootUser() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && "0".equals(out);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads JSON lines; fails on a line that is not a JSON object. */
    static List<JsonNode> readJsonLines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (!n.isObject()) {
                    throw new AssertionError(file + ":" + (i + 1) + " is not a JSON object: " + line);
                }
                out.add(n);
            } catch (IOException e) {
                throw new AssertionError(file + ":" + (i + 1) + " is not JSON: " + e.getMessage() + ": " + line);
            }
        }
        return out;
    }

    static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> type.equals(text(e, "event_type"))).toList();
    }

    /** Text of a dotted path ("mcp.client_name"), or null when absent or JSON null. */
    static String text(JsonNode n, String dottedPath) {
        JsonNode cur = n;
        for (String part : dottedPath.split("\\.")) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(part);
        }
        return cur == null || cur.isNull() || cur.isContainerNode() ? null : cur.asText();
    }

    /** Lower-case host without port or trailing dot (as the corpus scorer normalises). */
    static String host(String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            s = end > 0 ? s.substring(1, end) : s.substring(1);
        } else if (s.chars().filter(c -> c == ':').count() == 1) {
            s = s.substring(0, s.indexOf(':'));
        }
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? null : s;
    }

    /** Summary like "dns=4 http=12 mcp=0" for messages. */
    static String countByType(List<JsonNode> events) {
        java.util.TreeMap<String, Integer> m = new java.util.TreeMap<>();
        events.forEach(e -> m.merge(String.valueOf(text(e, "event_type")), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return events.isEmpty() ? "no events" : sb.toString();
    }
}
