package io.mcpwarden.runtime;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.CaptureFormatException;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.policy.Policy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code warden inspect}: one capture file, or every capture in a directory. */
@Command(name = "inspect", header = "Inspect capture files and write EVE JSON events.",
        usageHelpAutoWidth = true, sortOptions = false,
        showDefaultValues = true,
        description = {
            "Reads a capture file (pcap or pcapng), reassembles TCP, dissects DNS, TLS and HTTP, fingerprints MCP "
                    + "sessions and writes one EVE JSON line per event.",
            "",
            "Single file: without --events the events go to standard output and every human-readable line goes "
                    + "to standard error. At the end a one-line summary is printed on standard error: packets, "
                    + "bytes, flows, events by type, seconds, Gbit/s and the capture status. When standard error "
                    + "is a terminal and the run lasts more than 2 s, a progress line (percent of the file, "
                    + "packets, Gbit/s) is kept up to date.",
            "",
            "TLS: with a key log (--keylog FILE, or a <name>.keylog file beside the capture, or secrets "
                    + "inside a pcapng capture) TLS 1.3 and TLS 1.2 connections are decrypted and HTTP, SSE, "
                    + "JSON-RPC and MCP inside them are dissected like plaintext; their events carry "
                    + "\"decrypted\": true, the tls event gives the server's ALPN choice (alpn_selected) and "
                    + "the mcp event has encrypted true with every field. Without keys TLS yields the "
                    + "handshake only, and MCP inside it is at most suspected from names. The summary line "
                    + "names the key log used and how many TLS flows were decrypted.",
            "",
            "A truncated capture is processed up to the damage, with a warning naming the file offset, and "
                    + "counts as success. A file that is not a capture is refused with the reason and the offset.",
            "",
            "Batch: --pcap-dir inspects every *.pcap, *.pcapng and *.cap file in DIR (in name order), several "
                    + "at once, writes OUT/<name>.jsonl per capture (<name> is the file name without its "
                    + "extension) and OUT/summary.json: an array with one entry per file, in name order, with "
                    + "file, status (ok, truncated, not-a-capture, io-error, failed, skipped), packets, events, "
                    + "seconds and error. 'failed' marks an unexpected error in that file's run; the others still run.",
            ""},
        optionListHeading = "Options:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:capture read to its end, or truncated (processed up to the damage)",
            "1:a file could not be read, or events could not be written",
            "2:the file is not a capture (the reason names the file offset)",
            "3:internal error; batch: at least one file 'failed' (see summary.json)",
            "64:usage error",
            "130:interrupted by SIGINT/SIGTERM (the events seen so far are written)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  warden inspect --pcap traffic.pcap --events traffic.jsonl",
            "  warden inspect --pcap traffic.pcapng | jq -c 'select(.event_type==\"mcp\")'",
            "  warden inspect --pcap-dir captures/ --events-dir out/ --jobs 4",
            "  warden inspect --pcap tls.pcap --keylog sslkeys.log --events tls.jsonl",
            "  warden inspect --pcap P3.pcap --no-keylog      (ignore P3.keylog beside it)",
            "",
            "Batch exit code: 3 if any file failed, else 1 if any had an I/O error, else 2 if any was not a "
                    + "capture, else 130 if interrupted, else 0.",
            "",
            "Files:",
            "  OUT.jsonl           events, one JSON object per line (UTF-8)",
            "  OUT/<name>.jsonl    batch: events of one capture",
            "  OUT/summary.json    batch: per-file status, packets, events, seconds, error",
            "  NAME.keylog         key log used for NAME.pcap unless --keylog or --no-keylog is given",
            "                      (also NAME.pcap.keylog); in batch mode per capture"})
final class InspectCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption help;


    @ParentCommand
    WardenCommand parent;

    @picocli.CommandLine.Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @picocli.CommandLine.Mixin
    SyslogOptions syslog = new SyslogOptions();

    @picocli.CommandLine.Mixin
    KeyLogOptions keyLogs = new KeyLogOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false, multiplicity = "1")
        Single single;
        @ArgGroup(exclusive = false, multiplicity = "1")
        Batch batch;
    }

    static final class Single {
        @Option(names = "--pcap", required = true, paramLabel = "FILE",
                description = "Capture file to inspect (pcap or pcapng; recognised by its magic number).")
        Path pcap;
        @Option(names = "--events", paramLabel = "OUT.jsonl",
                description = "Write the events to this file (replaced) instead of standard output.")
        Path events;
    }

    static final class Batch {
        @Option(names = "--pcap-dir", required = true, paramLabel = "DIR",
                description = "Inspect every *.pcap, *.pcapng and *.cap file in DIR (not recursive).")
        Path dir;
        @Option(names = "--events-dir", required = true, paramLabel = "OUT",
                description = "Directory for <name>.jsonl per capture and summary.json (created if missing).")
        Path eventsDir;
        @Option(names = "--jobs", paramLabel = "N",
                description = "Files inspected at once (default: the number of processors).")
        Integer jobs;
    }

    @Override
    public Integer call() {
        CliEnv env = parent.env;
        if (policyOptions.threads < 1 || policyOptions.threads > 64) {
            env.err().println("error: --threads must be between 1 and 64, not " + policyOptions.threads);
            return ExitCodes.USAGE;
        }
        boolean[] ok = new boolean[1];
        // the rules compile while the first packets are read; the events wait for them in JudgingSink
        CompletableFuture<Policy> policy = policyOptions.openAsync(env, "inspect", false, ok);
        if (!ok[0]) {
            return ExitCodes.IO_ERROR;
        }
        try {
            io.mcpwarden.siem.SiemExporter siem;
            try {
                siem = syslog.start();
            } catch (IllegalArgumentException e) {
                env.err().println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            int code = call(env, policy, InspectOptions.DEFAULTS.withThreads(policyOptions.threads), siem);
            boolean delivered = SyslogOptions.finish(env, "inspect", siem, syslog.waitSeconds);
            if (policy != null && policy.isCompletedExceptionally()) {
                env.err().println("inspect: error: the rules could not be opened, no event was judged: "
                        + openFailure(policy));
                return ExitCodes.INTERNAL;
            }
            return code == ExitCodes.OK && !delivered ? ExitCodes.IO_ERROR : code;
        } finally {
            if (policy != null) {
                policy.thenAccept(Policy::close).exceptionally(t -> null).join();
            }
        }
    }

    private static String openFailure(CompletableFuture<Policy> policy) {
        try {
            policy.join();
            return "";
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return String.valueOf(e.getCause() == null ? e : e.getCause());
        }
    }

    private int call(CliEnv env, CompletableFuture<Policy> policy, InspectOptions options,
                     io.mcpwarden.siem.SiemExporter siem) {
        if (source.batch != null) {
            Batch b = source.batch;
            int jobs = b.jobs == null ? Runtime.getRuntime().availableProcessors() : b.jobs;
            if (jobs < 1) {
                env.err().println("error: --jobs must be at least 1, not " + jobs);
                return ExitCodes.USAGE;
            }
            if (keyLogs.file != null) {
                KeyLogOptions.Choice c = keyLogs.forCapture(null);
                if (c.error() != null) {
                    env.err().println("inspect: " + c.error());
                    return ExitCodes.IO_ERROR;
                }
            }
            return new BatchInspection(env, jobs, policy, options, keyLogs).run(b.dir, b.eventsDir);
        }
        return inspectOne(env, source.single.pcap, source.single.events, policy, options, siem, keyLogs);
    }

    /** Inspects one file; events go to {@code eventsFile}, or to standard output when null. */
    static int inspectOne(CliEnv env, Path pcap, Path eventsFile) {
        return inspectOne(env, pcap, eventsFile, null, InspectOptions.DEFAULTS, null, new KeyLogOptions());
    }

    /** Inspects one file, judging its events by the policy (null: none) once it is open. */
    static int inspectOne(CliEnv env, Path pcap, Path eventsFile, CompletableFuture<Policy> policy,
                          InspectOptions options, io.mcpwarden.events.EventSink also, KeyLogOptions keyLogs) {
        String name = String.valueOf(pcap.getFileName());
        KeyLogOptions.Choice keys = keyLogs.forCapture(pcap);
        if (keys.error() != null) {
            env.err().println("inspect: " + keys.error());
            return ExitCodes.IO_ERROR;
        }
        String warning = keyLogs.warning(keys);
        if (warning != null) {
            env.err().println(warning);
        }
        options = options.withKeyLog(keys.keys());
        PacketSource src;
        try {
            src = CaptureFiles.open(pcap);
        } catch (CaptureFormatException e) {
            env.err().println("inspect: " + pcap + ": not a capture: " + e.getMessage());
            return ExitCodes.NOT_A_CAPTURE;
        } catch (IOException e) {
            env.err().println("inspect: " + pcap + ": cannot read: " + describe(e));
            return ExitCodes.IO_ERROR;
        }
        OutputStream os;
        try {
            os = eventsFile == null ? env.eventOut() : Files.newOutputStream(eventsFile);
        } catch (IOException e) {
            closeQuietly(src);
            env.err().println("inspect: cannot write events to " + eventsFile + ": " + describe(e));
            return ExitCodes.IO_ERROR;
        }
        Progress progress = new Progress(env, "inspect: " + name, env.console());
        InspectionSummary s;
        EveJsonSink sink = new EveJsonSink(new BufferedOutputStream(os, 1 << 16), true);
        try {
            s = env.inspection().inspect(src, new JudgingSink(SyslogOptions.tee(sink, also), policy), options, progress);
        } finally {
            sink.close();
            closeQuietly(src);
            progress.clear();
        }
        env.err().println(Summaries.line("inspect", name, s) + KeyLogOptions.summary(keys, s));
        if (sink.failure() != null) {
            env.err().println("inspect: cannot write events" + (eventsFile == null ? "" : " to " + eventsFile) + ": "
                    + describe(sink.failure()));
            return ExitCodes.IO_ERROR;
        }
        String state = s.status() == null ? "ok" : s.status().state();
        if ("not-a-capture".equals(state)) {
            env.err().println("inspect: " + pcap + ": not a capture: " + s.status().message()
                    + " (at file offset " + s.status().offset() + ")");
            return ExitCodes.NOT_A_CAPTURE;
        }
        String truncated = Summaries.truncationWarning(s.status());
        if (truncated != null) {
            env.err().println(truncated);
        }
        if (env.stopRequested()) {
            env.err().println("inspect: interrupted; the events seen so far are written");
            return ExitCodes.INTERRUPTED;
        }
        return ExitCodes.OK;
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? kind : e.getMessage();
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing more to read from it
        }
    }
}
