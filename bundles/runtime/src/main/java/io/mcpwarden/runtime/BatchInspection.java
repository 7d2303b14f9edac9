package io.mcpwarden.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.CaptureFormatException;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** {@code inspect --pcap-dir}: every capture of a directory, N at once, one events file each + summary.json. */
final class BatchInspection {
    static final List<String> EXTENSIONS = List.of(".pcap", ".pcapng", ".cap");

    /** One file's outcome, as written to summary.json. */
    record Result(String file, String status, long packets, long events, double seconds, String error) {
        Result(String file, String status, long packets, long events, String error) {
            this(file, status, packets, events, 0, error);
        }
    }

    private final CliEnv env;
    private final int jobs;

    /** The policy, possibly still opening; null for none. */
    private CompletableFuture<io.mcpwarden.policy.Policy> policy;
    private io.mcpwarden.pipeline.InspectOptions options = InspectOptions.DEFAULTS;
    private KeyLogOptions keyLogs = new KeyLogOptions();

    BatchInspection(CliEnv env, int jobs, CompletableFuture<io.mcpwarden.policy.Policy> policy,
                    io.mcpwarden.pipeline.InspectOptions options) {
        this(env, jobs);
        this.policy = policy;
        this.options = options;
    }

    BatchInspection(CliEnv env, int jobs, CompletableFuture<io.mcpwarden.policy.Policy> policy,
                    io.mcpwarden.pipeline.InspectOptions options,
                    KeyLogOptions keyLogs) {
        this(env, jobs, policy, options);
        this.keyLogs = keyLogs;
    }

    BatchInspection(CliEnv env, int jobs) {
        this.env = env;
        this.jobs = jobs;
    }

    int run(Path dir, Path outDir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> isCaptureName(p.getFileName().toString()))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            env.err().println("inspect: cannot list " + dir + ": " + InspectCommand.describe(e));
            return ExitCodes.IO_ERROR;
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            env.err().println("inspect: cannot create " + outDir + ": " + InspectCommand.describe(e));
            return ExitCodes.IO_ERROR;
        }
        Map<String, String> outNames = outputNames(files.stream().map(p -> p.getFileName().toString()).toList());
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, files.size())), r -> {
            Thread t = new Thread(r, "warden-inspect-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<Result>> futures = new ArrayList<>();
        for (Path f : files) {
            Path out = outDir.resolve(outNames.get(f.getFileName().toString()));
            futures.add(pool.submit(() -> inspectGuarded(f, out)));
        }
        List<Result> results = new ArrayList<>();
        try {
            for (int i = 0; i < futures.size(); i++) {
                results.add(await(futures.get(i), files.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        int code = exitCode(results, env.stopRequested());
        try {
            writeSummary(outDir.resolve("summary.json"), results);
        } catch (IOException e) {
            env.err().println("inspect: cannot write " + outDir.resolve("summary.json") + ": "
                    + InspectCommand.describe(e));
            code = Math.max(code, ExitCodes.IO_ERROR);
        }
        Map<String, Integer> byStatus = new java.util.TreeMap<>();
        results.forEach(r -> byStatus.merge(r.status(), 1, Integer::sum));
        env.err().println("inspect: " + dir + ": " + files.size() + " files (" + byStatus.toString()
                .replaceAll("[{}]", "") + "), " + results.stream().mapToLong(Result::events).sum()
                + " events, summary in " + outDir.resolve("summary.json"));
        return code;
    }

    private Result await(Future<Result> f, Path file) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(file.getFileName().toString(), "skipped", 0, 0, "run interrupted");
        } catch (ExecutionException e) {
            return new Result(file.getFileName().toString(), "failed", 0, 0, String.valueOf(e.getCause()));
        }
    }

    /** Never throws: any unexpected exception becomes a {@code failed} result. */
    Result inspectGuarded(Path file, Path out) {
        String name = file.getFileName().toString();
        if (env.stopRequested()) {
            return new Result(name, "skipped", 0, 0, "run interrupted");
        }
        try {
            Result r = inspect(file, out);
            env.err().println(r.status().equals("ok") || r.status().equals("truncated")
                    ? String.format(Locale.ROOT, "inspect: %s: %s, %d packets, %d events, %.2f s", name, r.status(),
                            r.packets(), r.events(), r.seconds())
                    : "inspect: " + name + ": " + r.status() + ": " + r.error());
            return r;
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            synchronized (env.err()) {
                env.err().println("inspect: " + name + ": failed: " + e);
                e.printStackTrace(env.err());
            }
            return new Result(name, "failed", 0, 0, e.toString());
        }
    }

    private Result inspect(Path file, Path out) {
        String name = file.getFileName().toString();
        PacketSource src;
        try {
            src = CaptureFiles.open(file);
        } catch (CaptureFormatException e) {
            return new Result(name, "not-a-capture", 0, 0, e.getMessage());
        } catch (IOException e) {
            return new Result(name, "io-error", 0, 0, "cannot read: " + InspectCommand.describe(e));
        }
        OutputStream os;
        try {
            os = Files.newOutputStream(out);
        } catch (IOException e) {
            InspectCommand.closeQuietly(src);
            return new Result(name, "io-error", 0, 0, "cannot write " + out + ": " + InspectCommand.describe(e));
        }
        KeyLogOptions.Choice keys = keyLogs.forCapture(file);
        String warning = keyLogs.warning(keys);
        if (warning != null) {
            synchronized (env.err()) {
                env.err().println("inspect: " + name + ": " + warning);
            }
        }
        EveJsonSink sink = new EveJsonSink(new BufferedOutputStream(os, 1 << 16), true);
        InspectionSummary s;
        try {
            s = env.inspection().inspect(src, new JudgingSink(sink, policy), options.withKeyLog(keys.keys()),
                    new RunControl() {
                @Override
                public boolean stopRequested() {
                    return env.stopRequested();
                }
            });
        } finally {
            sink.close();
            InspectCommand.closeQuietly(src);
        }
        long events = s.events();
        if (sink.failure() != null) {
            return new Result(name, "io-error", s.packets(), events,
                    "cannot write " + out + ": " + InspectCommand.describe(sink.failure()));
        }
        String state = s.status() == null ? "ok" : s.status().state();
        String error = s.status() == null || s.status().message() == null ? null
                : s.status().message() + " (at file offset " + s.status().offset() + ")";
        return new Result(name, state, s.packets(), events, s.seconds(), error);
    }

    static boolean isCaptureName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith) && EXTENSIONS.stream().noneMatch(n::equals);
    }

    /**
     * Output file per capture: {@code <name without extension>.jsonl}; when two captures share a base name
     * (a.pcap, a.pcapng) both keep their full name ({@code a.pcap.jsonl}).
     */
    static Map<String, String> outputNames(List<String> names) {
        Map<String, Integer> baseCount = new HashMap<>();
        for (String n : names) {
            baseCount.merge(base(n), 1, Integer::sum);
        }
        Map<String, String> out = new HashMap<>();
        for (String n : names) {
            out.put(n, (baseCount.get(base(n)) > 1 ? n : base(n)) + ".jsonl");
        }
        return out;
    }

    static String base(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** 3 if any failed, else 1 if any I/O error, else 2 if any not a capture, else 130 if interrupted, else 0. */
    static int exitCode(List<Result> results, boolean interrupted) {
        if (results.stream().anyMatch(r -> r.status().equals("failed"))) {
            return ExitCodes.INTERNAL;
        }
        if (results.stream().anyMatch(r -> r.status().equals("io-error"))) {
            return ExitCodes.IO_ERROR;
        }
        if (results.stream().anyMatch(r -> r.status().equals("not-a-capture"))) {
            return ExitCodes.NOT_A_CAPTURE;
        }
        return interrupted ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    static void writeSummary(Path file, List<Result> results) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (JsonGenerator g = new JsonFactory().createGenerator(Files.newOutputStream(tmp))) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (Result r : results) {
                g.writeStartObject();
                g.writeStringField("file", r.file());
                g.writeStringField("status", r.status());
                g.writeNumberField("packets", r.packets());
                g.writeNumberField("events", r.events());
                g.writeNumberField("seconds", Math.round(r.seconds() * 1000) / 1000.0);
                if (r.error() == null) {
                    g.writeNullField("error");
                } else {
                    g.writeStringField("error", r.error());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
