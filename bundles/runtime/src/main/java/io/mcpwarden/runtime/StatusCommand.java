package io.mcpwarden.runtime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warden status}: what the running appliance is doing. */
@Command(name = "status", header = "Show the running appliance's state: capture, rules, syslog, bundles.",
        usageHelpAutoWidth = true,
        description = {"Reads the status file that 'warden run' rewrites every 5 seconds and at exit, and prints: "
                + "whether it runs (and since when), the interface and filter, packets, flows and events, the "
                + "capture's kernel and interface drops, the rule set in force (hash, rules, errors), the syslog "
                + "delivery counters per destination, and the bundles of its framework with their states."},
        exitCodeListHeading = "%nExit codes (as LSB status):%n",
        exitCodeList = {"0:running", "1:the status file cannot be read", "3:not running (stopped, or stale)"},
        footerHeading = "%nExamples:%n",
        footer = {"  warden status", "  WARDEN_STATE=/var/lib/mcp-warden warden status",
            "", "Files:", "  $WARDEN_STATE/mcp-warden-status.json (default /var/lib/mcp-warden, else the temp dir)"})
final class StatusCommand implements Callable<Integer> {
    static final int NOT_RUNNING = 3;
    /** A status older than this (three missed updates) means the writer is gone. */
    static final Duration STALE = Duration.ofSeconds(20);

    @picocli.CommandLine.Mixin
    HelpOption help;

    @ParentCommand
    WardenCommand parent;

    @Option(names = "--status-file", paramLabel = "FILE", description = "Status file (default: see Files).")
    Path file;

    @Override
    public Integer call() {
        CliEnv env = parent.env;
        Path f = file != null ? file : StatusFile.defaultPath();
        if (!Files.exists(f)) {
            env.out().println("mcp-warden: not running (no status file " + f + ")");
            return NOT_RUNNING;
        }
        Map<String, Object> st;
        try {
            st = read(f);
        } catch (IOException e) {
            env.err().println("status: cannot read " + f + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        }
        String state = String.valueOf(st.get("state"));
        Instant updated = Instant.parse(String.valueOf(st.getOrDefault("updated", Instant.EPOCH.toString())));
        long pid = ((Number) st.getOrDefault("pid", -1)).longValue();
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        boolean running = "running".equals(state) && alive && Duration.between(updated, Instant.now()).compareTo(STALE) < 0;
        env.out().println("mcp-warden: " + (running ? "running" : "not running") + " (state " + state + ", pid " + pid
                + (alive ? "" : " gone") + ", started " + st.get("started") + ", updated " + updated + ")");
        env.out().println("capture:    " + st.get("interface") + (String.valueOf(st.get("bpf")).isEmpty() ? ""
                : " filter '" + st.get("bpf") + "'") + ", " + st.getOrDefault("packets", 0) + " packets, "
                + st.getOrDefault("flows", 0) + " flows, " + st.get("capture"));
        env.out().println("events:     " + st.getOrDefault("events", Map.of()));
        env.out().println("rules:      " + st.getOrDefault("rules", Map.of()));
        env.out().println("syslog:     " + st.getOrDefault("syslog", Map.of()));
        Object bundles = st.get("bundles");
        if (bundles instanceof List<?> l) {
            env.out().println("bundles:    " + l.size());
            for (Object b : l) {
                env.out().println("  " + b);
            }
        }
        return running ? ExitCodes.OK : NOT_RUNNING;
    }

    /** The status object as maps and lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path f) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(f.toFile(), LinkedHashMap.class);
    }
}
