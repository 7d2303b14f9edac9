package io.mcpwarden.runtime;

import io.mcpwarden.capture.LiveCapture;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.siem.ReloadableSiem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warden run}: live capture until SIGINT/SIGTERM. */
@Command(name = "run", header = "Capture live from an interface until SIGINT/SIGTERM.",
        usageHelpAutoWidth = true, sortOptions = false,
        showDefaultValues = true,
        description = {
            "Captures live from a network interface and inspects the traffic as it arrives (DNS, TLS, HTTP, MCP), "
                    + "writing one EVE JSON line per event, until SIGINT (Ctrl-C) or SIGTERM. On the signal the "
                    + "capture stops, every open flow is ended, all events are written and a summary with the "
                    + "kernel and interface drop counters is printed on standard error.",
            "",
            "Needs root or the CAP_NET_RAW and CAP_NET_ADMIN capabilities, and libpcap.",
            ""},
        optionListHeading = "Options:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped by SIGINT/SIGTERM; every event written",
            "1:the interface could not be opened (name, permission, filter syntax) or events could not be written",
            "3:internal error",
            "64:usage error (also: the --config file does not exist)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  sudo warden run --interface eth0 --events /var/log/mcp-warden/eve.jsonl",
            "  sudo warden run --interface any --bpf 'tcp port 443 or udp port 53'",
            "  sudo warden run --interface eth0 --config /etc/mcp-warden/warden.conf",
            "  sudo warden run --interface lo --keylog /tmp/sslkeys.log   (decrypt TLS; the",
            "                   key log is followed while clients append to it: a new",
            "                   connection waits for its secrets until the client is past",
            "                   its Finished; --no-keylog has no effect here)",
            "",
            "Files:",
            "  OUT.jsonl     events, one JSON object per line (UTF-8); standard output",
            "                without --events",
            "  warden.conf   SIEM destinations (YAML), watched: a change is applied within",
            "                about 2 s without a restart, one line per change on stderr; a",
            "                file with an error is reported with line and column and the",
            "                previous destinations keep running",
            "",
            "Signals:",
            "  SIGINT, SIGTERM  stop: end every flow, write every event, print the summary",
            "  SIGHUP           reload now: the rules directory, the registry and the",
            "                   configuration file are read at once (no waiting for the",
            "                   watchers), capture goes on; one 'run: reload' line on",
            "                   stderr says what changed or what was rejected and why",
            "                   (systemctl reload mcp-warden sends it); while run is",
            "                   still starting it is ignored with a line saying so"})
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption help;

    static final int READ_TIMEOUT_MILLIS = 100;

    @ParentCommand
    WardenCommand parent;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IF",
            description = "Network interface to capture from (e.g. eth0, or 'any').")
    String iface;

    @Option(names = "--bpf", paramLabel = "EXPR", defaultValue = "", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Capture filter in BPF (tcpdump) syntax; empty: every packet.")
    String bpf;

    @Option(names = "--events", paramLabel = "OUT.jsonl",
            description = "Write the events to this file (appended) instead of standard output.")
    Path events;

    @Option(names = "--snaplen", paramLabel = "N", defaultValue = "" + LiveCapture.MAX_SNAPLEN,
            description = "Bytes captured per packet.")
    int snaplen;

    @picocli.CommandLine.Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @picocli.CommandLine.Mixin
    SyslogOptions syslog = new SyslogOptions();

    @picocli.CommandLine.Mixin
    ConfigFileOption config = new ConfigFileOption();

    @picocli.CommandLine.Mixin
    KeyLogOptions keyLogs = new KeyLogOptions();

    @Option(names = "--status-file", paramLabel = "FILE",
            description = "Where the state for 'warden status' is kept, rewritten every 5 s "
                    + "(default: $WARDEN_STATE/mcp-warden-status.json, /var/lib/mcp-warden or the temp dir).")
    Path statusFile;

    @Override
    public Integer call() {
        CliEnv env = parent.env;
        if (config.problem() != null) {
            env.err().println("error: " + config.problem());
            return ExitCodes.USAGE;
        }
        boolean[] ok = new boolean[1];
        try (io.mcpwarden.policy.Policy policy = policyOptions.open(env, "run", true, ok)) {
            if (!ok[0]) {
                return ExitCodes.IO_ERROR;
            }
            ReloadableSiem siem;
            try {
                siem = syslog.startReloadable(config.resolve(), line -> env.err().println("run: " + line));
            } catch (IllegalArgumentException e) {
                env.err().println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            int code = call(env, policy, siem);
            SyslogOptions.finish(env, "run", siem, syslog.waitSeconds);
            return code;
        }
    }

    /**
     * SIGHUP / {@code systemctl reload}: reads the rules, the registry and the configuration file now (the
     * watchers would pick them up once stable across two scans; this does not wait) while capture goes on.
     * Tells systemd RELOADING=1 first and READY=1 when done, prints one line.
     */
    private synchronized void reload(CliEnv env, io.mcpwarden.policy.Policy policy, ReloadableSiem siem,
                                     SystemdNotify systemd) {
        long t0 = System.nanoTime();
        systemd.send("RELOADING=1\nMONOTONIC_USEC=" + t0 / 1_000 + "\nSTATUS=reloading rules and configuration");
        String rules = policy == null ? "rules off (--no-rules)" : policy.reload().describe();
        String conf = siem == null ? "no configuration file" : siem.reload();
        env.err().println("run: reload (SIGHUP): " + rules + "; " + conf + "; "
                + (System.nanoTime() - t0) / 1_000_000 + " ms, capture not interrupted");
        systemd.send("READY=1\nSTATUS=capturing on " + iface);
    }

    /** The key log's follower (if any) holds the file open: closed on every way out of {@link #call}. */
    private static void closeFollower(KeyLogOptions.Choice keys) {
        if (keys.follower() != null) {
            keys.follower().close();
        }
    }

    private int call(CliEnv env, io.mcpwarden.policy.Policy policy, ReloadableSiem siem) {
        if (snaplen < 64 || snaplen > LiveCapture.MAX_SNAPLEN) {
            env.err().println("error: --snaplen must be between 64 and " + LiveCapture.MAX_SNAPLEN + ", not " + snaplen);
            return ExitCodes.USAGE;
        }
        KeyLogOptions.Choice keys = keyLogs.forLive(); // followed while clients append to it
        if (keys.error() != null) {
            env.err().println("run: " + keys.error());
            return ExitCodes.IO_ERROR;
        }
        String warning = keyLogs.warning(keys);
        if (warning != null) {
            env.err().println("run: " + warning);
        }
        LiveCapture cap;
        try {
            cap = LiveCapture.open(iface, bpf, snaplen, READ_TIMEOUT_MILLIS);
        } catch (IOException | RuntimeException e) {
            closeFollower(keys);
            env.err().println("run: cannot capture on " + iface + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        }
        OutputStream os;
        try {
            os = events == null ? env.eventOut()
                    : Files.newOutputStream(events, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            InspectCommand.closeQuietly(cap);
            closeFollower(keys);
            env.err().println("run: cannot write events to " + events + ": " + InspectCommand.describe(e));
            return ExitCodes.IO_ERROR;
        }
        env.err().println("run: capturing on " + iface + (bpf.isBlank() ? "" : " (filter: " + bpf + ")")
                + "; stop with Ctrl-C or SIGTERM");
        Runnable unregister = env.onStop(cap::stop);
        Progress console = new Progress(env, "run: " + iface, env.console());
        StatusFile progress = new StatusFile(statusFile != null ? statusFile : StatusFile.defaultPath(), console, iface,
                bpf, policy, siem == null ? null : siem::counters, cap::counters, env::bundles);
        progress.write("running", null);
        SystemdNotify systemd = SystemdNotify.fromEnvironment();
        if (systemd.problem() != null) {
            env.err().println("run: warning: " + systemd.problem());
        }
        Runnable unregisterReload = env.onReload(() -> reload(env, policy, siem, systemd)); // before READY=1
        systemd.send("READY=1\nSTATUS=capturing on " + iface);
        progress.startTimer(systemd);
        EveJsonSink sink = new EveJsonSink(new BufferedOutputStream(os, 1 << 16), true);
        InspectionSummary s;
        try {
            s = env.inspection().inspect(cap, new JudgingSink(SyslogOptions.tee(sink, siem), policy),
                    InspectOptions.DEFAULTS.withThreads(Math.max(1, Math.min(64, policyOptions.threads)))
                            .withKeyLog(keys.keys()), progress);
        } finally {
            unregisterReload.run();
            unregister.run();
            sink.close();
            console.clear();
            closeFollower(keys);
        }
        systemd.send("STOPPING=1\nSTATUS=stopped");
        progress.stop(s);
        if (progress.problem() != null) {
            env.err().println("run: warning: " + progress.problem());
        }
        Map<String, Long> counters = cap.counters();
        InspectCommand.closeQuietly(cap);
        env.err().println(Summaries.line("run", iface, s) + ", dropped kernel=" + counters.getOrDefault("dropped_kernel", 0L)
                + " interface=" + counters.getOrDefault("dropped_interface", 0L) + KeyLogOptions.summary(keys, s));
        if (sink.failure() != null) {
            env.err().println("run: cannot write events: " + InspectCommand.describe(sink.failure()));
            return ExitCodes.IO_ERROR;
        }
        return ExitCodes.OK;
    }
}
