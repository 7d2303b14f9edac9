package io.mcpwarden.runtime;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.CaptureFormatException;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RuleCheck;
import io.mcpwarden.policy.RuleError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code warden rules}: tools for rule authors. */
@Command(name = "rules", header = "Check DRL rule files, and see which rules fire on a capture.",
        usageHelpAutoWidth = true,
        description = {"Tools for rule authors. Rules are Drools DRL files in one directory; the appliance compiles "
                + "all of them together and picks up changes within a second while it runs.",
            "See detection-rules/README.md for the fact model and worked examples."},
        subcommands = {RulesCommand.Check.class, RulesCommand.Test.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the rules compile (check) / the test ran", "1:a file could not be read",
            "4:the rules do not compile (each error printed as FILE:LINE:COLUMN: message)",
            "64:usage error", "70:the policy engine bundle is not running"},
        footerHeading = "%nExamples:%n",
        footer = {"  warden rules check detection-rules/rules",
            "  warden rules test my-rules/ --pcap traffic.pcap --registry registry.yaml"})
final class RulesCommand implements Callable<Integer> {
    static final int RULES_INVALID = 4;
    static final int NO_ENGINE = 70;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @ParentCommand
    WardenCommand parent;

    @Override
    public Integer call() {
        picocli.CommandLine.usage(this, parent.env.err());
        return ExitCodes.USAGE;
    }

    static PolicyService engine(CliEnv env, String command) {
        PolicyService s = env.policyService();
        if (s == null) {
            env.err().println(command + ": the policy engine bundle is not running (see the framework's messages)");
        }
        return s;
    }

    @Command(name = "check", header = "Compile every *.drl in DIR and report errors.", usageHelpAutoWidth = true,
            description = {"Compiles the rule set exactly as the appliance would, without running it. Prints the "
                    + "number of rules and the rule-set hash (the version reported in every verdict), or every "
                    + "error as FILE:LINE:COLUMN: message."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the rules compile", "1:DIR cannot be read", "4:the rules do not compile",
                "70:the policy engine bundle is not running"},
            footerHeading = "%nExamples:%n", footer = {"  warden rules check /etc/mcp-warden/rules.d"})
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        HelpOption help;
        @ParentCommand
        RulesCommand rules;
        @Parameters(index = "0", paramLabel = "DIR", description = "Directory of DRL files.")
        Path dir;

        @Override
        public Integer call() {
            CliEnv env = rules.parent.env;
            if (!Files.isDirectory(dir)) {
                env.err().println("rules check: " + dir + " is not a directory");
                return ExitCodes.IO_ERROR;
            }
            PolicyService s = engine(env, "rules check");
            if (s == null) {
                return NO_ENGINE;
            }
            RuleCheck c = s.check(dir);
            for (RuleError e : c.errors()) {
                env.out().println(e);
            }
            if (!c.ok()) {
                env.out().println("rules check: " + c.errors().size() + " error(s); the rule set is rejected");
                return RULES_INVALID;
            }
            env.out().println("rules check: ok, " + c.rules() + " rules, rule set " + c.hash());
            return ExitCodes.OK;
        }
    }

    @Command(name = "test", header = "Run a capture through the rules and show which rules fired on which events.",
            usageHelpAutoWidth = true,
            description = {"Inspects the capture with the rules in DIR (and the registry, when given) and prints one "
                    + "line per verdict: action, rule, severity, the event it judged and the reason; then the count "
                    + "of firings per rule. Events are not written; use 'warden inspect --rules DIR' for that."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the test ran", "1:a file could not be read", "2:the file is not a capture",
                "4:the rules do not compile", "70:the policy engine bundle is not running"},
            footerHeading = "%nExamples:%n",
            footer = {"  warden rules test detection-rules/rules --pcap demo/demo.pcap --registry detection-rules/registry.example.yaml"})
    static final class Test implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        HelpOption help;
        @ParentCommand
        RulesCommand rules;
        @Parameters(index = "0", paramLabel = "DIR", description = "Directory of DRL files.")
        Path dir;
        @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "Capture to run through the rules.")
        Path pcap;
        @Option(names = "--registry", paramLabel = "FILE", description = "Registry of approved MCP servers (YAML).")
        Path registry;

        @Override
        public Integer call() {
            CliEnv env = rules.parent.env;
            PolicyService s = engine(env, "rules test");
            if (s == null) {
                return NO_ENGINE;
            }
            if (!Files.isDirectory(dir)) {
                env.err().println("rules test: " + dir + " is not a directory");
                return ExitCodes.IO_ERROR;
            }
            PacketSource src;
            try {
                src = CaptureFiles.open(pcap);
            } catch (CaptureFormatException e) {
                env.err().println("rules test: " + pcap + ": not a capture: " + e.getMessage());
                return ExitCodes.NOT_A_CAPTURE;
            } catch (IOException e) {
                env.err().println("rules test: " + pcap + ": cannot read: " + InspectCommand.describe(e));
                return ExitCodes.IO_ERROR;
            }
            Map<String, Long> firings = new TreeMap<>();
            // compiled once: the policy starts with an empty set and the errors when the files do not compile
            try (Policy policy = s.open(new PolicyConfig(dir, registry, false, Duration.ZERO, 100))) {
                if (!policy.info().lastErrors().isEmpty()) {
                    policy.info().lastErrors().forEach(e -> env.out().println(e));
                    return RULES_INVALID;
                }
                EventSink print = new EventSink() {
                    @Override
                    public void accept(WardenEvent e) {
                        if (e instanceof RulesEvent r && r.action().equals("rejected")) {
                            env.err().println("rules test: warning: " + r.file() + ":" + r.line() + ":" + r.column()
                                    + ": " + r.message() + " (the test runs without it)");
                        }
                        if (e instanceof VerdictEvent v) {
                            firings.merge(v.rule(), 1L, Long::sum);
                            env.out().printf("%-5s %-28s %-8s %-4s %s — %s%n", v.action(), v.rule(), v.severity(),
                                    v.subjectType(), v.subject(), v.reason());
                        }
                    }
                };
                InspectionSummary sum = env.inspection().inspect(src, new JudgingSink(print, policy),
                        InspectOptions.DEFAULTS, RunControl.NONE);
                env.out().println();
                env.out().println("rule set " + policy.info().hash() + ", " + policy.info().rules() + " rules; "
                        + sum.eventsByType() + " events judged");
                firings.forEach((rule, n) -> env.out().printf("  %-28s fired %d time(s)%n", rule, n));
                if (firings.isEmpty()) {
                    env.out().println("  no rule fired");
                }
            } finally {
                InspectCommand.closeQuietly(src);
            }
            return ExitCodes.OK;
        }
    }
}
