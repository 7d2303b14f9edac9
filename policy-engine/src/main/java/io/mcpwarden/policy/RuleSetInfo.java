package io.mcpwarden.policy;

import java.time.Instant;
import java.util.List;

/**
 * The rule set in force.
 *
 * @param hash       first 12 hex digits of SHA-256 over the sorted file names and contents
 * @param rules      number of rules
 * @param loadedAt   when it was swapped in
 * @param lastErrors errors of the most recent rejected attempt since it loaded (empty when the latest attempt loaded)
 */
public record RuleSetInfo(String hash, int rules, Instant loadedAt, List<RuleError> lastErrors) {
    public RuleSetInfo {
        lastErrors = lastErrors == null ? List.of() : List.copyOf(lastErrors);
    }
}
