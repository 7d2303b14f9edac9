package io.mcpwarden.policy;

import org.osgi.annotation.versioning.ProviderType;

import java.nio.file.Path;

/**
 * Opens policies (a rule set plus an optional registry of approved MCP servers) and checks rule sets.
 * Registered as an OSGi service by the policy bundle; {@link #standalone()} gives one outside the framework.
 */
@ProviderType
public interface PolicyService {

    /**
     * Compiles the rules directory and reads the registry, then starts watching them when
     * {@link PolicyConfig#watch()} is set. DRL or registry errors never make this fail: the policy starts with
     * what loaded (an empty rule set when nothing did) and reports the errors through
     * {@link Policy#drainRulesEvents()} and {@link RuleSetInfo#lastErrors()}.
     *
     * @throws IllegalArgumentException when the rules directory does not exist or is not a directory
     */
    Policy open(PolicyConfig config);

    /** Compiles every DRL file of the directory without running anything. Never throws for bad DRL. */
    RuleCheck check(java.nio.file.Path rulesDir);

    /** Parses and validates a registry file without using it. Never throws for a bad file. */
    RegistryCheck checkRegistry(Path registryFile);

    /**
     * The registry of a file, for lookups ({@link Registry#match}, {@link Registry#lookalikeOf}) without opening a
     * policy or compiling any rules. Empty when the file does not load; {@link #checkRegistry} says why.
     */
    Registry readRegistry(Path registryFile);

    /** A service instance for use outside an OSGi framework (command line tools, tests). */
    static PolicyService standalone() {
        return new io.mcpwarden.policy.internal.PolicyServiceImpl();
    }
}
