package io.mcpwarden.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.policy.Policy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The running appliance's state for {@code warden status}: written by {@code warden run} every few seconds and
 * at exit, atomically (write to a temporary file, then rename), as one JSON object.
 */
final class StatusFile implements RunControl {
    static final long EVERY_NANOS = 5_000_000_000L;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Path file;
    private final RunControl delegate;
    private final String iface;
    private final String bpf;
    private final Policy policy;
    private final Supplier<Map<String, Long>> syslog;
    private final Supplier<Map<String, Long>> capture;
    private final Supplier<List<String>> bundles;
    private final Instant started = Instant.now();
    private long lastWrite;
    private String problem;
    private InspectionSummary last;
    private java.util.concurrent.ScheduledExecutorService timer;

    StatusFile(Path file, RunControl delegate, String iface, String bpf, Policy policy,
               Supplier<Map<String, Long>> syslog, Supplier<Map<String, Long>> capture,
               Supplier<List<String>> bundles) {
        this.file = file;
        this.delegate = delegate;
        this.iface = iface;
        this.bpf = bpf;
        this.policy = policy;
        this.syslog = syslog;
        this.capture = capture;
        this.bundles = bundles;
    }

    /** The default place: {@code $WARDEN_STATE/status.json}, else /var/lib/mcp-warden, else the temp dir. */
    static Path defaultPath() {
        String env = System.getenv("WARDEN_STATE");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("/var/lib/mcp-warden");
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            dir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        return dir.resolve("mcp-warden-status.json");
    }

    @Override
    public boolean stopRequested() {
        return delegate.stopRequested();
    }

    @Override
    public synchronized void progress(InspectionSummary s) {
        delegate.progress(s);
        last = s;
        long now = System.nanoTime();
        if (lastWrite == 0 || now - lastWrite >= EVERY_NANOS) {
            lastWrite = now;
            write("running", s);
        }
    }

    /** Also rewrites the file every 5 s when no packets arrive (the pipeline reports progress per packets). */
    synchronized void startTimer() {
        startTimer(null);
    }

    /**
     * As {@link #startTimer()}, and pings systemd's watchdog from the same timer: a process whose timer thread
     * no longer runs (hung, out of memory) stops pinging and systemd restarts it.
     */
    synchronized void startTimer(SystemdNotify systemd) {
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warden-status");
            t.setDaemon(true);
            return t;
        });
        long watchdog = systemd == null ? 0 : systemd.watchdogMillis();
        if (watchdog > 0) {
            timer.scheduleAtFixedRate(() -> systemd.send("WATCHDOG=1"), 0, watchdog,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        timer.scheduleAtFixedRate(() -> {
            synchronized (this) {
                if (System.nanoTime() - lastWrite >= EVERY_NANOS) {
                    lastWrite = System.nanoTime();
                    write("running", last);
                }
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Writes the final state. */
    synchronized void stop(InspectionSummary s) {
        if (timer != null) {
            timer.shutdownNow();
        }
        write("stopped", s);
    }

    /** A problem (e.g. the file could not be written), or null. */
    synchronized String problem() {
        return problem;
    }

    synchronized void write(String state, InspectionSummary s) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = JSON.createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("state", state);
                g.writeNumberField("pid", ProcessHandle.current().pid());
                g.writeStringField("started", started.toString());
                g.writeStringField("updated", Instant.now().toString());
                g.writeStringField("interface", iface);
                g.writeStringField("bpf", bpf == null ? "" : bpf);
                if (s != null) {
                    g.writeNumberField("packets", s.packets());
                    g.writeNumberField("bytes", s.bytes());
                    g.writeNumberField("flows", s.flows());
                    g.writeObjectFieldStart("events");
                    for (var e : s.eventsByType().entrySet()) {
                        g.writeNumberField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeObjectFieldStart("capture");
                for (var e : capture.get().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeObjectFieldStart("rules");
                if (policy != null) {
                    var info = policy.info();
                    g.writeStringField("ruleset", info.hash());
                    g.writeNumberField("rules", info.rules());
                    g.writeStringField("loaded", String.valueOf(info.loadedAt()));
                    g.writeArrayFieldStart("errors");
                    for (var err : info.lastErrors()) {
                        g.writeString(err.toString());
                    }
                    g.writeEndArray();
                    g.writeNumberField("registered_servers", policy.registry().servers().size());
                } else {
                    g.writeStringField("ruleset", "none");
                }
                g.writeEndObject();
                g.writeObjectFieldStart("syslog");
                if (syslog != null) {
                    for (var e : syslog.get().entrySet()) {
                        g.writeNumberField(e.getKey(), e.getValue());
                    }
                }
                g.writeEndObject();
                g.writeArrayFieldStart("bundles");
                for (String b : bundles.get()) {
                    g.writeString(b);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            problem = null;
        } catch (IOException | RuntimeException e) {
            problem = "cannot write status file " + file + ": " + e.getMessage();
        }
    }
}
