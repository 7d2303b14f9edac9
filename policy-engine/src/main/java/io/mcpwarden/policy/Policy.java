package io.mcpwarden.policy;

import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import org.osgi.annotation.versioning.ProviderType;

import java.util.List;

/** An open rule set plus registry that judges events. Thread-safe. Close it to stop its file watcher. */
@ProviderType
public interface Policy extends AutoCloseable {

    /**
     * Judges one event. Only {@code mcp}, {@code dns} (queries), {@code tls} and {@code http} events are judged;
     * other events give an empty list. Every verdict carries the hash of the rule set that decided; one event is
     * judged entirely by one rule set. Never throws: a rule that throws is logged (once per rule, with a count)
     * and the event is judged by the other rules.
     */
    List<VerdictEvent> judge(WardenEvent event);

    /** The rule set in force. */
    RuleSetInfo info();

    /** Rule set and registry changes ({@code loaded} / {@code rejected}) since the last call, oldest first. */
    List<RulesEvent> drainRulesEvents();

    /** The registry in force (empty when none is configured or none loaded). */
    Registry registry();

    /**
     * Reads the rules directory and the registry file now, without waiting for the watcher to see them stable
     * across two scans (the operator says the edit is complete, e.g. by SIGHUP or {@code systemctl reload}).
     * Content equal to what is in force is not compiled again. A rejected rule set or registry leaves the
     * previous one running, as with the watcher; the outcome is also reported as {@code rules} events.
     * Events keep being judged during the reload, by the old set until the new one is swapped in.
     */
    ReloadReport reload();

    /** Stops watching. Judging after close still works with the last rule set. */
    @Override
    void close();
}
