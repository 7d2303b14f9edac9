package io.mcpwarden.runtime;

import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.Policy;

/**
 * Passes every event on, followed by the verdicts the policy gives it and any rule-set change
 * (loaded / rejected) since the last event; rule-set changes still pending are written on flush and close (a
 * reload on a quiet link is not lost). Without a policy it only passes events on.
 */
final class JudgingSink implements EventSink {
    private final EventSink downstream;
    private final Policy policy;

    JudgingSink(EventSink downstream, Policy policy) {
        this.downstream = downstream;
        this.policy = policy;
        drainRules();
    }

    @Override
    public void accept(WardenEvent event) {
        downstream.accept(event);
        if (policy == null) {
            return;
        }
        for (VerdictEvent v : policy.judge(event)) {
            downstream.accept(v);
        }
        drainRules();
    }

    private void drainRules() {
        if (policy != null) {
            for (RulesEvent r : policy.drainRulesEvents()) {
                downstream.accept(r);
            }
        }
    }

    @Override
    public void flush() {
        drainRules();
        downstream.flush();
    }

    @Override
    public void close() {
        drainRules();
        downstream.close();
    }
}
