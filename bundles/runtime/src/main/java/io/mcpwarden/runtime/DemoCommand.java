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

    @Override
    public Integer call() {
        CliEnv env = parent.env;
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
        EventSink tee = new EventSink() {
            @Override
            public void accept(WardenEvent event) {
                eve.accept(event);
                if (event instanceof McpEvent m) {
                    synchronized (sessions) {
                        sessions.add(m);
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
            s = env.inspection().inspect(src, tee, InspectOptions.DEFAULTS, new Progress(env, "demo", false));
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
            out.print(sessionTable(sessions));
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

    /** A plain-text table, one row per MCP session, columns sized to their content. */
    static String sessionTable(List<McpEvent> sessions) {
        List<String> headers = List.of("CLIENT", "SERVER", "TRANSPORT", "PROTOCOL", "ENDPOINT", "SESSION", "ENCRYPTED");
        List<Function<McpEvent, String>> cols = List.of(
                m -> nameVersion(m.clientName(), m.clientVersion()),
                m -> nameVersion(m.serverName(), m.serverVersion()),
                m -> m.transport() == null ? (m.encrypted() ? "tls" : "-") : m.transport(),
                m -> dash(m.protocolVersion() != null ? m.protocolVersion() : m.clientProtocolVersion()),
                m -> dash(m.endpoint() != null ? m.endpoint() : m.sni()),
                m -> dash(m.sessionId()),
                m -> m.encrypted() ? "yes" : "no");
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
