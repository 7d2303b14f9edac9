package io.mcpwarden.runtime;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code warden demo}: inspects the bundled demo capture and shows the MCP sessions for a person. */
@Command(name = "demo", header = "Inspect the bundled demo capture and show its MCP sessions.",
        usageHelpAutoWidth = true, showDefaultValues = true,
        description = {
            "Inspects the demo capture shipped with the distribution (demo/demo.pcap) and prints a table of the "
                    + "MCP sessions found (client and server name/version, transport, protocol version, endpoint, "
                    + "session id, whether encrypted), the counts of DNS, TLS, HTTP and flow events, and where "
                    + "the JSON events were written.",
            ""},
        optionListHeading = "Options:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the demo capture is missing or the events could not be written",
            "3:internal error", "64:usage error"},
        footerHeading = "%nExamples:%n",
        footer = {"  warden demo",
            "  warden demo --events demo.jsonl && jq -c 'select(.event_type==\"mcp\")' demo.jsonl",
            "",
            "Files:",
            "  <home>/demo/demo.pcap   the demo capture",
            "  OUT.jsonl               the events (replaced)"})
final class DemoCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption help;

    @ParentCommand
    WardenCommand parent;

    @Option(names = "--events", paramLabel = "OUT.jsonl",
            defaultValue = "${sys:java.io.tmpdir}${sys:file.separator}mcp-warden-demo.jsonl",
            description = "Where the JSON events are written.")
    Path events;

    @picocli.CommandLine.Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @Override
    public Integer call() {
        CliEnv env = parent.env;
        boolean[] ok = new boolean[1];
        try (io.mcpwarden.policy.Policy policy = policyOptions.open(env, "demo", false, ok)) {
            if (!ok[0]) {
                return ExitCodes.IO_ERROR;
            }
            return call(env, policy);
        }
    }

    private int call(CliEnv env, io.mcpwarden.policy.Policy policy) {
        Path pcap = env.home().resolve("demo").resolve("demo.pcap");
        PacketSource src;
        try {
            src = CaptureFiles.open(pcap);
        } catch (IOException e) {
            env.err().println("demo: cannot read the demo capture " + pcap + ": " + InspectCommand.describe(e));
            return ExitCodes.IO_ERROR;
        }
        EveJsonSink eve;
        try {
            eve = new EveJsonSink(new BufferedOutputStream(Files.newOutputStream(events), 1 << 16), true);
        } catch (IOException e) {
            InspectCommand.closeQuietly(src);
            env.err().println("demo: cannot write events to " + events + ": " + InspectCommand.describe(e));
            return ExitCodes.IO_ERROR;
        }
        List<McpEvent> sessions = new ArrayList<>();
        List<io.mcpwarden.model.VerdictEvent> verdicts = new ArrayList<>();
        EventSink tee = new EventSink() {
            @Override
            public void accept(WardenEvent event) {
                eve.accept(event);
                if (event instanceof McpEvent m) {
                    synchronized (sessions) {
                        sessions.add(m);
                    }
                } else if (event instanceof io.mcpwarden.model.VerdictEvent v) {
                    synchronized (sessions) {
                        verdicts.add(v);
                    }
                }
            }

            @Override
            public void flush() {
                eve.flush();
            }
        };
        InspectionSummary s;
        try {
            s = env.inspection().inspect(src, new JudgingSink(tee, policy),
                    InspectOptions.DEFAULTS.withThreads(Math.max(1, Math.min(64, policyOptions.threads))),
                    new Progress(env, "demo", false));
        } finally {
            eve.close();
            InspectCommand.closeQuietly(src);
        }
        if (eve.failure() != null) {
            env.err().println("demo: cannot write events to " + events + ": " + InspectCommand.describe(eve.failure()));
            return ExitCodes.IO_ERROR;
        }
        PrintStream out = env.out();
        out.println("MCP sessions in " + pcap.getFileName() + ": " + sessions.size());
        if (!sessions.isEmpty()) {
            out.println();
            out.print(sessionTable(sessions, verdicts));
        }
        if (!verdicts.isEmpty()) {
            out.println();
            out.println("verdicts: " + verdictCounts(verdicts));
        }
        out.println();
        out.println("other events: " + otherCounts(s));
        out.println(Summaries.line("inspected", pcap.getFileName().toString(), s).replaceFirst("^inspected: ", ""));
        out.println("events written to: " + events.toAbsolutePath());
        return ExitCodes.OK;
    }

    /** {@code dns=6 tls=0 http=12 flow=9}: the non-MCP event counts, zeros included. */
    static String otherCounts(InspectionSummary s) {
        StringBuilder sb = new StringBuilder();
        for (String t : List.of("dns", "tls", "http", "flow")) {
            sb.append(sb.length() == 0 ? "" : " ").append(t).append('=').append(s.eventsByType().getOrDefault(t, 0L));
        }
        return sb.toString();
    }

    /** {@code block=2 alert=3 allow=1}: verdicts by action. */
    static String verdictCounts(List<io.mcpwarden.model.VerdictEvent> verdicts) {
        java.util.Map<String, Long> by = new java.util.TreeMap<>();
        for (var v : verdicts) {
            by.merge(v.action(), 1L, Long::sum);
        }
        StringBuilder sb = new StringBuilder();
        by.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    /** The strongest verdict on a session's flow (block over alert over allow), as {@code action (rule)}. */
    static String verdictOf(McpEvent m, List<io.mcpwarden.model.VerdictEvent> verdicts) {
        io.mcpwarden.model.VerdictEvent best = null;
        for (var v : verdicts) {
            if ("mcp".equals(v.subjectType()) && v.flow() != null && v.flow().flowId() == m.flow().flowId()
                    && (best == null || rank(v.action()) > rank(best.action()))) {
                best = v;
            }
        }
        return best == null ? "-" : best.action() + " (" + best.rule() + ")";
    }

    private static int rank(String action) {
        return switch (action) {
            case "block" -> 3;
            case "alert" -> 2;
            case "allow" -> 1;
            default -> 0;
        };
    }

    static String sessionTable(List<McpEvent> sessions) {
        return sessionTable(sessions, List.of());
    }

    /** A plain-text table, one row per MCP session, columns sized to their content. */
    static String sessionTable(List<McpEvent> sessions, List<io.mcpwarden.model.VerdictEvent> verdicts) {
        List<String> headers = List.of("CLIENT", "SERVER", "TRANSPORT", "PROTOCOL", "ENDPOINT", "SESSION", "ENCRYPTED",
                "VERDICT");
        List<Function<McpEvent, String>> cols = List.of(
                m -> nameVersion(m.clientName(), m.clientVersion()),
                m -> nameVersion(m.serverName(), m.serverVersion()),
                m -> m.transport() == null ? (m.encrypted() ? "tls" : "-") : m.transport(),
                m -> dash(m.protocolVersion() != null ? m.protocolVersion() : m.clientProtocolVersion()),
                m -> dash(m.endpoint() != null ? m.endpoint() : m.sni()),
                m -> dash(m.sessionId()),
                m -> m.encrypted() ? "yes" : "no",
                m -> verdictOf(m, verdicts));
        List<List<String>> rows = new ArrayList<>();
        rows.add(headers);
        for (McpEvent m : sessions) {
            rows.add(cols.stream().map(c -> c.apply(m)).toList());
        }
        int[] width = new int[headers.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                sb.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + (width[i] + 2) + "s", r.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String nameVersion(String name, String version) {
        if (name == null) {
            return "-";
        }
        return version == null ? name : name + "/" + version;
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
