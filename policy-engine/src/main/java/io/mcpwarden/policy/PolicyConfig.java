package io.mcpwarden.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Policy} is opened.
 *
 * @param rulesDir           directory of {@code *.drl} files (searched up to 4 levels deep); required
 * @param registryFile       YAML registry of approved MCP servers; null for none (nothing is registered)
 * @param watch              reload the rules and the registry when their files change (hot reload)
 * @param cacheTtl           how long a decision per (event type, subject, client address) is reused without
 *                           entering the rule engine; {@link Duration#ZERO} disables the cache
 * @param maxFiringsPerEvent upper bound of rule firings while judging one event (protects against looping rules)
 */
public record PolicyConfig(Path rulesDir, Path registryFile, boolean watch, Duration cacheTtl,
                           int maxFiringsPerEvent) {

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_FIRINGS = 100;

    public PolicyConfig {
        Objects.requireNonNull(rulesDir, "rulesDir");
        cacheTtl = cacheTtl == null ? DEFAULT_CACHE_TTL : cacheTtl;
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative: " + cacheTtl);
        }
        if (maxFiringsPerEvent <= 0) {
            maxFiringsPerEvent = DEFAULT_MAX_FIRINGS;
        }
    }

    /** Rules only, watched, default cache and firing limit. */
    public static PolicyConfig of(Path rulesDir) {
        return new PolicyConfig(rulesDir, null, true, DEFAULT_CACHE_TTL, DEFAULT_MAX_FIRINGS);
    }

    /** Rules and registry, watched, default cache and firing limit. */
    public static PolicyConfig of(Path rulesDir, Path registryFile) {
        return new PolicyConfig(rulesDir, registryFile, true, DEFAULT_CACHE_TTL, DEFAULT_MAX_FIRINGS);
    }

    public PolicyConfig withWatch(boolean w) {
        return new PolicyConfig(rulesDir, registryFile, w, cacheTtl, maxFiringsPerEvent);
    }

    public PolicyConfig withCacheTtl(Duration ttl) {
        return new PolicyConfig(rulesDir, registryFile, watch, ttl, maxFiringsPerEvent);
    }

    public PolicyConfig withMaxFiringsPerEvent(int max) {
        return new PolicyConfig(rulesDir, registryFile, watch, cacheTtl, max);
    }
}
