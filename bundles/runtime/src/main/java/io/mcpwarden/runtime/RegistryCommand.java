package io.mcpwarden.runtime;

import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RegisteredServer;
import io.mcpwarden.policy.Registry;
import io.mcpwarden.policy.RegistryCheck;
import io.mcpwarden.policy.RuleError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code warden registry}: the approved MCP servers. */
@Command(name = "registry", header = "List the approved MCP servers, or check whether an endpoint is approved.",
        usageHelpAutoWidth = true,
        description = {"The registry is a YAML file listing approved MCP servers (name and endpoint pattern: host "
                + "with * wildcard, optional :port and /path prefix). Default: <home>/etc/registry.yaml."},
        subcommands = {RegistryCommand.ListServers.class, RegistryCommand.CheckEndpoint.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok / the endpoint is approved", "1:the registry cannot be read or has errors",
            "5:check: the endpoint is not approved", "64:usage error", "70:the policy engine bundle is not running"},
        footerHeading = "%nExamples:%n",
        footer = {"  warden registry list", "  warden registry check api.approved-mcp.test:3001/mcp",
            "  warden registry check --registry my.yaml tools.example.test:8443/mcp/v1"})
final class RegistryCommand implements Callable<Integer> {
    static final int NOT_APPROVED = 5;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @ParentCommand
    WardenCommand parent;

    @Override
    public Integer call() {
        picocli.CommandLine.usage(this, parent.env.err());
        return ExitCodes.USAGE;
    }

    static RegistryCheck load(CliEnv env, Path file, String command) {
        Path f = file != null ? file : env.home().resolve("etc").resolve("registry.yaml");
        PolicyService s = RulesCommand.engine(env, command);
        if (s == null) {
            return null;
        }
        if (!Files.isReadable(f)) {
            env.err().println(command + ": registry " + f + " cannot be read");
            return new RegistryCheck(false, java.util.List.of(), null, java.util.List.of());
        }
        RegistryCheck c = s.checkRegistry(f);
        for (RuleError e : c.errors()) {
            env.err().println(e);
        }
        return c;
    }

    @Command(name = "list", header = "List the approved MCP servers.", usageHelpAutoWidth = true,
            description = {"Prints one line per server: name, endpoint pattern, owner. Errors are printed with line "
                    + "numbers and the exit code is 1."},
            footerHeading = "%nExamples:%n", footer = {"  warden registry list --registry /etc/mcp-warden/registry.yaml"})
    static final class ListServers implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        HelpOption help;
        @ParentCommand
        RegistryCommand reg;
        @Option(names = "--registry", paramLabel = "FILE", description = "Registry file (default: <home>/etc/registry.yaml).")
        Path file;

        @Override
        public Integer call() {
            CliEnv env = reg.parent.env;
            RegistryCheck c = load(env, file, "registry list");
            if (c == null) {
                return RulesCommand.NO_ENGINE;
            }
            if (!c.ok()) {
                return ExitCodes.IO_ERROR;
            }
            env.out().printf("%-24s %-40s %s%n", "NAME", "ENDPOINT", "OWNER");
            for (RegisteredServer s : c.servers()) {
                env.out().printf("%-24s %-40s %s%n", s.name(), s.endpoint(), s.owner() == null ? "-" : s.owner());
            }
            env.out().println(c.servers().size() + " approved server(s), registry " + c.hash());
            return ExitCodes.OK;
        }
    }

    @Command(name = "check", header = "Tell whether HOST[:PORT][/PATH] is an approved MCP server.",
            usageHelpAutoWidth = true,
            description = {"Matches the endpoint against the registry as the appliance does: prints the approving "
                    + "entry, or says it is not approved (and names a registered server it imitates, if any)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:approved", "1:the registry cannot be read or has errors", "5:not approved"},
            footerHeading = "%nExamples:%n", footer = {"  warden registry check mcp.approved-mcp.test:443/mcp"})
    static final class CheckEndpoint implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        HelpOption help;
        @ParentCommand
        RegistryCommand reg;
        @Parameters(index = "0", paramLabel = "HOST[:PORT][/PATH]", description = "The endpoint to check.")
        String target;
        @Option(names = "--registry", paramLabel = "FILE", description = "Registry file (default: <home>/etc/registry.yaml).")
        Path file;

        @Override
        public Integer call() {
            CliEnv env = reg.parent.env;
            PolicyService s = RulesCommand.engine(env, "registry check");
            if (s == null) {
                return RulesCommand.NO_ENGINE;
            }
            RegistryCheck c = load(env, file, "registry check");
            if (c == null || !c.ok()) {
                return ExitCodes.IO_ERROR;
            }
            String t = target.replaceFirst("^[a-zA-Z]+://", "");
            int slash = t.indexOf('/');
            String path = slash < 0 ? "/" : t.substring(slash);
            String hostPort = slash < 0 ? t : t.substring(0, slash);
            int port = 0;
            String host = hostPort;
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0 && hostPort.indexOf(':') == colon) {
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                    host = hostPort.substring(0, colon);
                } catch (NumberFormatException e) {
                    env.err().println("registry check: bad port in " + target);
                    return ExitCodes.USAGE;
                }
            }
            Path f = file != null ? file : env.home().resolve("etc").resolve("registry.yaml");
            Registry r = s.readRegistry(f);
            Optional<RegisteredServer> m = r.match(host, port, path);
            if (m.isPresent()) {
                env.out().println("approved: " + target + " matches '" + m.get().name() + "' (" + m.get().endpoint() + ")");
                return ExitCodes.OK;
            }
            Optional<String> like = r.lookalikeOf(host);
            env.out().println("not approved: " + target + like.map(n -> " (looks like registered server '" + n + "')").orElse(""));
            return NOT_APPROVED;
        }
    }
}
