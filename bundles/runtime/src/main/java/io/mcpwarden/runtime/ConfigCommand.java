package io.mcpwarden.runtime;

import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RegistryCheck;
import io.mcpwarden.policy.RuleCheck;
import io.mcpwarden.siem.SiemConfig;
import io.mcpwarden.siem.SiemConfigException;
import io.mcpwarden.siem.SyslogDestination;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code warden config}: check a configuration before (re)starting the appliance with it. */
@Command(name = "config", header = "Check the appliance's configuration.", usageHelpAutoWidth = true,
        description = {"'warden config check' verifies, without starting a capture, everything 'warden run' would "
                + "need with the same options: the rules compile, the registry parses, the capture interface "
                + "exists, libpcap can be loaded, the syslog URLs are well formed, the configuration file (--config, "
                + "default /etc/mcp-warden/warden.conf when it exists) is valid, with line and column of the first "
                + "error, and the spool directory is writable. One line per item, OK or FAIL with the reason."},
        subcommands = {ConfigCommand.Check.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every item is OK", "1:at least one item failed", "64:usage error"},
        footerHeading = "%nExamples:%n",
        footer = {"  warden config check --interface eth0",
            "  warden config check --config /etc/mcp-warden/warden.conf",
            "  warden config check --rules /etc/mcp-warden/rules.d --registry /etc/mcp-warden/registry.yaml "
                    + "--syslog tls://siem.example:6514 --syslog-ca /etc/mcp-warden/siem-ca.pem"})
final class ConfigCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption help;

    @ParentCommand
    WardenCommand parent;

    @Override
    public Integer call() {
        picocli.CommandLine.usage(this, parent.env.err());
        return ExitCodes.USAGE;
    }

    @Command(name = "check", header = "Check rules, registry, interface, libpcap, syslog, config file and spool.",
            usageHelpAutoWidth = true,
            description = {"Prints one line per item: OK or FAIL and why. Options default as for 'warden run'."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:all OK", "1:something failed"},
            footerHeading = "%nExamples:%n", footer = {"  warden config check --interface eth0",
                "  warden config check --config /etc/mcp-warden/warden.conf"})
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        HelpOption help;
        @ParentCommand
        ConfigCommand config;
        @picocli.CommandLine.Mixin
        PolicyOptions policyOptions = new PolicyOptions();
        @picocli.CommandLine.Mixin
        SyslogOptions syslog = new SyslogOptions();
        @picocli.CommandLine.Mixin
        ConfigFileOption configFile = new ConfigFileOption();
        @Option(names = {"-i", "--interface"}, paramLabel = "IF", description = "Capture interface to check.")
        String iface;

        @Override
        public Integer call() {
            CliEnv env = config.parent.env;
            List<String> failures = new ArrayList<>();
            Path rules = policyOptions.rules != null ? policyOptions.rules : env.home().resolve("rules");
            Path registry = policyOptions.registry != null ? policyOptions.registry
                    : env.home().resolve("etc").resolve("registry.yaml");
            PolicyService svc = env.policyService();
            if (policyOptions.noRules) {
                line(env, true, "rules", "not used (--no-rules)", failures);
            } else if (svc == null) {
                line(env, false, "rules", "the policy engine bundle is not running", failures);
            } else if (!Files.isDirectory(rules)) {
                line(env, false, "rules", rules + " is not a directory", failures);
            } else {
                RuleCheck c = svc.check(rules);
                line(env, c.ok(), "rules", rules + ": " + (c.ok() ? c.rules() + " rules, rule set " + c.hash()
                        : c.errors().size() + " error(s): " + c.errors().get(0)), failures);
                if (Files.exists(registry)) {
                    RegistryCheck r = svc.checkRegistry(registry);
                    line(env, r.ok(), "registry", registry + ": " + (r.ok() ? r.servers().size() + " servers"
                            : r.errors().size() + " error(s): " + r.errors().get(0)), failures);
                } else {
                    line(env, policyOptions.registry == null, "registry", registry + " does not exist"
                            + (policyOptions.registry == null ? " (every MCP server counts as unregistered)" : ""),
                            failures);
                }
            }
            if (iface != null) {
                boolean exists = iface.equals("any") || Files.exists(Path.of("/sys/class/net", iface));
                line(env, exists, "interface", iface + (exists ? " exists" : " does not exist on this host"), failures);
            }
            String pcap = libpcap();
            line(env, pcap == null, "libpcap", pcap == null ? "loadable" : pcap, failures);
            for (String u : syslog.urls) {
                try {
                    SyslogDestination d = SyslogDestination.parse(u);
                    if (syslog.ca != null) {
                        d = d.withCaFile(syslog.ca);
                    }
                    boolean caOk = syslog.ca == null || Files.isReadable(syslog.ca);
                    line(env, caOk, "syslog", u + (caOk ? " (" + d.transport() + " " + d.host() + ":" + d.port() + ")"
                            : ": CA file " + syslog.ca + " cannot be read"), failures);
                } catch (IllegalArgumentException e) {
                    line(env, false, "syslog", u + ": " + e.getMessage(), failures);
                }
            }
            Set<String> cliNames = new HashSet<>();
            for (String u : syslog.urls) {
                try {
                    cliNames.add(SyslogDestination.parse(u).name());
                } catch (IllegalArgumentException e) {
                    // reported above
                }
            }
            Set<Path> spools = new LinkedHashSet<>();
            if (!syslog.urls.isEmpty()) {
                spools.add(syslog.spoolDir);
            }
            Path file = configFile.resolve();
            if (file != null) {
                try {
                    SiemConfig c = SiemConfig.read(file);
                    SiemConfig.Entry clash = c.destinations().stream()
                            .filter(e -> cliNames.contains(e.destination().name())).findFirst().orElse(null);
                    if (clash != null) {
                        line(env, false, "config", file + ":" + clash.line() + ":" + clash.column()
                                + ": destination name '" + clash.destination().name()
                                + "' is already used by a --syslog option: give this one another 'name'", failures);
                    } else {
                        int n = c.destinations().size();
                        line(env, true, "config", file + ": " + (n == 0 ? "no syslog destinations"
                                : n == 1 ? "1 syslog destination" : n + " syslog destinations"), failures);
                    }
                    for (SiemConfig.Entry e : c.destinations()) {
                        SyslogDestination d = e.destination();
                        line(env, true, "syslog", d.name() + " " + d.transport().name().toLowerCase(java.util.Locale.ROOT)
                                + "://" + d.host() + ":" + d.port() + " (" + file.getFileName() + " line " + e.line()
                                + ", " + d.format().name().toLowerCase(java.util.Locale.ROOT)
                                + (d.eventTypes().isEmpty() ? "" : ", event_types " + String.join(",",
                                new java.util.TreeSet<>(d.eventTypes())))
                                + (d.minSeverity() < 7 ? ", min_severity " + SEVERITIES[d.minSeverity()] : "")
                                + (d.caFile() != null ? ", ca " + d.caFile() : "") + ")", failures);
                    }
                    if (!c.destinations().isEmpty()) {
                        spools.add(c.options(syslog.options()).spoolDir());
                    }
                } catch (SiemConfigException e) {
                    line(env, false, "config", e.getMessage(), failures);
                }
            }
            for (Path spool : spools) {
                boolean ok = Files.isDirectory(spool) ? Files.isWritable(spool)
                        : spool.toAbsolutePath().getParent() != null && Files.isWritable(spool.toAbsolutePath().getParent());
                line(env, ok, "spool", spool + (ok ? " writable" : " is not writable"), failures);
            }
            env.out().println(failures.isEmpty() ? "config check: OK" : "config check: " + failures.size() + " problem(s)");
            return failures.isEmpty() ? ExitCodes.OK : ExitCodes.IO_ERROR;
        }

        private static final String[] SEVERITIES =
                {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

        private static void line(CliEnv env, boolean ok, String item, String text, List<String> failures) {
            env.out().printf("%-4s %-10s %s%n", ok ? "OK" : "FAIL", item, text);
            if (!ok) {
                failures.add(item);
            }
        }

        /** Null when libpcap loads, else why not. */
        private static String libpcap() {
            try {
                com.sun.jna.NativeLibrary.getInstance("pcap");
                return null;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                return "cannot be loaded (install the libpcap0.8 package): " + e.getMessage();
            }
        }
    }
}
