package io.mcpwarden.policy.facts;

import java.util.Objects;

/**
 * A decision a rule inserts: {@code insert(Verdict.block("rule-name", "high", "reason"));}. The engine turns
 * each inserted verdict into a {@code VerdictEvent} stamped with the event's time and flow, the subject's endpoint
 * and the rule-set hash.
 *
 * @param action   {@code allow}, {@code alert} or {@code block}
 * @param rule     the deciding rule's name (use the DRL rule name)
 * @param severity {@code info}, {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param reason   one sentence for a person
 */
public record Verdict(String action, String rule, String severity, String reason) {

    public Verdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(rule, "rule");
        severity = severity == null ? "info" : severity;
        reason = reason == null ? "" : reason;
    }

    public static Verdict allow(String rule, String reason) {
        return new Verdict("allow", rule, "info", reason);
    }

    public static Verdict alert(String rule, String severity, String reason) {
        return new Verdict("alert", rule, severity, reason);
    }

    public static Verdict block(String rule, String severity, String reason) {
        return new Verdict("block", rule, severity, reason);
    }
}
