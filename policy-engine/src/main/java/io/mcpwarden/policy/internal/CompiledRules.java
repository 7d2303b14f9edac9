package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.RuleError;
import org.kie.api.KieBase;

import java.util.List;

/**
 * A compile attempt: the KieBase when it succeeded, else the errors. {@code firstSightMentions}: how often the
 * sources name {@code firstSight} outside comments (-1: not counted), for {@link SilentProjections}.
 */
record CompiledRules(KieBase kieBase, String hash, int rules, List<RuleError> errors, int firstSightMentions) {
    CompiledRules(KieBase kieBase, String hash, int rules, List<RuleError> errors) {
        this(kieBase, hash, rules, errors, -1);
    }

    boolean ok() {
        return kieBase != null;
    }
}
