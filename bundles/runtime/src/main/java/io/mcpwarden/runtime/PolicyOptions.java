package io.mcpwarden.runtime;

import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RuleError;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** The options that choose the rules and the registry, shared by inspect, run and demo. */
final class PolicyOptions {
    @Option(names = "--rules", paramLabel = "DIR",
            description = "Directory of DRL rule files (default: <home>/rules, the shipped rule pack). "
                    + "Every *.drl in it is compiled; a file that does not compile is reported with file, line and "
                    + "column and the others keep running.")
    Path rules;

    @Option(names = "--registry", paramLabel = "FILE",
            description = "Registry of approved MCP servers, YAML (default: <home>/etc/registry.yaml).")
    Path registry;

    @Option(names = "--no-rules", description = "Judge nothing: write the events without verdicts.")
    boolean noRules;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Pipeline threads; flows are sharded by address pair over N threads behind one "
                    + "reading thread (useful from 3 cores up). With 1, packets are dissected on the reading "
                    + "thread and events (rules, EVE, syslog) are handled on a second thread.")
    int threads;

    /**
     * Opens the policy, or returns null when none is wanted or available (saying why on stderr).
     * {@code required[0]} is set to false when the user's explicit choice could not be honoured.
     */
    Policy open(CliEnv env, String command, boolean watch, boolean[] ok) {
        CompletableFuture<Policy> p = openAsync(env, command, watch, ok, Runnable::run);
        try {
            return p == null ? null : p.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Like {@link #open}, but the rules are compiled on a thread of its own (the rule engine takes a second or more
     * to start), so that the caller can read packets meanwhile; see {@link JudgingSink}. The checks that decide
     * {@code ok[0]} are made before this returns; the summary line is printed once the policy is open. Null when
     * no policy is wanted or available.
     */
    CompletableFuture<Policy> openAsync(CliEnv env, String command, boolean watch, boolean[] ok) {
        return openAsync(env, command, watch, ok, body -> {
            Thread t = new Thread(body, "warden-policy-open");
            t.setDaemon(true);
            t.start();
        });
    }

    private CompletableFuture<Policy> openAsync(CliEnv env, String command, boolean watch, boolean[] ok,
                                                Executor executor) {
        ok[0] = true;
        if (noRules) {
            return null;
        }
        Path dir = rules != null ? rules : env.home().resolve("rules");
        Path reg = registry != null ? registry : env.home().resolve("etc").resolve("registry.yaml");
        if (!Files.isDirectory(dir)) {
            if (rules != null) {
                env.err().println(command + ": rules directory " + dir + " does not exist");
            }
            ok[0] = rules == null;
            return null;
        }
        PolicyService service = env.policyService();
        if (service == null) {
            env.err().println(command + ": no verdicts: the policy engine bundle is not running"
                    + " (see the framework's messages above)");
            ok[0] = rules == null;
            return null;
        }
        if (registry != null && !Files.isReadable(registry)) {
            env.err().println(command + ": registry " + registry + " cannot be read");
            ok[0] = false;
            return null;
        }
        Path registryFile = Files.exists(reg) ? reg : null;
        return CompletableFuture.supplyAsync(() -> {
            Policy p = service.open(new PolicyConfig(dir, registryFile, watch, Duration.ofSeconds(60), 100));
            var info = p.info();
            env.err().println(command + ": rules " + dir + ": " + info.rules() + " rules, rule set " + info.hash()
                    + (registryFile != null ? ", registry " + reg + " (" + p.registry().servers().size()
                    + " servers)" : ", no registry (every MCP server is unregistered)"));
            for (RuleError e : info.lastErrors()) {
                env.err().println(command + ": rejected: " + e);
            }
            return p;
        }, executor);
    }
}
