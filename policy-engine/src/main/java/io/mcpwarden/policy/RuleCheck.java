package io.mcpwarden.policy;

import java.util.List;

/**
 * The result of compiling a rules directory without running it.
 *
 * @param ok     true when every file compiled
 * @param rules  number of rules compiled (0 when not ok)
 * @param hash   the rule-set hash the set would have
 * @param errors compile errors with file, line and column
 */
public record RuleCheck(boolean ok, int rules, String hash, List<RuleError> errors) {
    public RuleCheck {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
