package io.mcpwarden.model;

/**
 * A change of the rule set or of the registry: loaded, or rejected with the precise place of the error.
 * Has no flow ({@link #flow()} is null).
 *
 * @param action  {@code loaded} or {@code rejected}
 * @param ruleset hash of the rule set now in force (after a rejection: the last good one)
 * @param rules   number of rules in force
 * @param file    the file concerned (null when the whole set loaded)
 * @param line    1-based line of the error, 0 when unknown
 * @param column  1-based column of the error, 0 when unknown
 * @param message the compiler's or parser's message, null when loaded
 */
public record RulesEvent(long tsMicros, String action, String ruleset, int rules, String file, int line,
                         int column, String message) implements WardenEvent {
    @Override
    public FlowRef flow() {
        return null;
    }

    @Override
    public String eventType() {
        return "rules";
    }
}
