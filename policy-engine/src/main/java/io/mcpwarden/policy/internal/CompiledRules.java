package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.RuleError;
import org.kie.api.KieBase;

import java.util.List;

/** A compile attempt: the KieBase when it succeeded, else the errors. */
record CompiledRules(KieBase kieBase, String hash, int rules, List<RuleError> errors) {
    boolean ok() {
        return kieBase != null;
    }
}
