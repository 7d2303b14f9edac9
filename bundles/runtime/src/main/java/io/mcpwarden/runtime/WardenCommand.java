package io.mcpwarden.runtime;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** The top-level {@code warden} command: dispatches to a subcommand. */
@Command(name = "warden", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        usageHelpAutoWidth = true,
        subcommands = {InspectCommand.class, RunCommand.class, DemoCommand.class, RulesCommand.class,
                RegistryCommand.class, StatusCommand.class, ConfigCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class},
        description = {
            "MCP Warden inspects capture files and live interfaces, dissects DNS, TLS and HTTP, fingerprints "
                    + "Model Context Protocol (MCP) sessions and writes Suricata-EVE-style JSON lines.",
            "",
            "Run 'warden COMMAND --help' for the options of one command."},
        optionListHeading = "%nGlobal options:%n",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:an input could not be read or an output written",
            "2:an input is not a capture", "3:internal error", "64:usage error",
            "70:the runtime could not start (the message names the bundle, package or service)",
            "130:interrupted"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  warden demo",
            "  warden inspect --pcap traffic.pcap --events traffic.jsonl",
            "  warden inspect --pcap traffic.pcap | jq 'select(.event_type==\"mcp\")'",
            "  warden run --interface eth0 --bpf 'tcp port 443 or port 53'",
            "  warden rules check detection-rules/rules",
            "  warden status",
            "  warden config check --interface eth0",
            "  warden registry check api.approved-mcp.test:3001/mcp",
            "  warden --shell                  (OSGi console; handled by the launcher)",
            "",
            "Environment:",
            "  WARDEN_JAVA_OPTS   JVM options (default: -Xmx1g -XX:+UseSerialGC -Xshare:auto)"})
final class WardenCommand implements Callable<Integer> {
    final CliEnv env;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    WardenCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        return ExitCodes.USAGE;
    }

    /** A command line wired to the environment's streams, exit codes and error handling. */
    static CommandLine commandLine(CliEnv env) {
        CommandLine cl = new CommandLine(new WardenCommand(env));
        cl.setOut(new PrintWriter(env.out(), true));
        cl.setErr(new PrintWriter(env.err(), true));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage().replaceFirst("^Error: ", ""));
            c.getErr().println("Try 'warden " + (c.getCommandName().equals("warden") ? "" : c.getCommandName() + " ")
                    + "--help' for more information.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("error: internal: " + ex);
            ex.printStackTrace(env.err());
            return ExitCodes.INTERNAL;
        });
        return cl;
    }

    /** Parses and runs {@code args}; returns the process exit code. */
    static int execute(CliEnv env, String... args) {
        return commandLine(env).execute(args);
    }
}
