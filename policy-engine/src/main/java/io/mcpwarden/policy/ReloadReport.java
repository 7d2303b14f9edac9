package io.mcpwarden.policy;

import java.util.List;

/**
 * What one {@link Policy#reload()} did.
 *
 * @param rules    what happened to the rule set
 * @param registry what happened to the registry
 * @param info     the rule set in force afterwards
 * @param errors   the errors of a rejected rule set or registry (empty otherwise)
 */
public record ReloadReport(Outcome rules, Outcome registry, RuleSetInfo info, List<RuleError> errors) {
    /** The result for one source (rules directory or registry file). */
    public enum Outcome {
        /** Same content as what is in force: nothing compiled. */
        UNCHANGED,
        /** New content compiled (or parsed) and swapped in. */
        LOADED,
        /**
         * Content with errors (new, or the same as an attempt rejected before): the previous one keeps running;
         * the errors are in {@link ReloadReport#errors()}.
         */
        REJECTED,
        /** Nothing configured (no registry file). */
        NONE
    }

    public ReloadReport {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One line for an operator, e.g. {@code rules loaded (3f2a… , 8 rules); registry unchanged}. */
    public String describe() {
        StringBuilder b = new StringBuilder("rules ").append(word(rules));
        if (rules == Outcome.REJECTED || rules == Outcome.UNCHANGED || rules == Outcome.LOADED) {
            b.append(rules == Outcome.REJECTED ? " (keeping " : " (").append(info.hash()).append(", ")
                    .append(info.rules()).append(info.rules() == 1 ? " rule)" : " rules)");
        }
        b.append("; registry ").append(registry == Outcome.NONE ? "not configured" : word(registry));
        if (!errors.isEmpty()) {
            b.append(": ").append(errors.get(0));
            if (errors.size() > 1) {
                b.append(" (and ").append(errors.size() - 1).append(" more)");
            }
        }
        return b.toString();
    }

    private static String word(Outcome o) {
        return o.name().toLowerCase(java.util.Locale.ROOT);
    }
}
