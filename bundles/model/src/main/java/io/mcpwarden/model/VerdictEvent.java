package io.mcpwarden.model;

/**
 * A policy decision about an event: allow, alert or block.
 *
 * @param action      {@code allow}, {@code alert} or {@code block}
 * @param rule        name of the rule that decided
 * @param severity    {@code info}, {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param reason      one sentence for a person
 * @param ruleset     hash of the rule set that decided (identifies its version)
 * @param subject     what the verdict concerns: an MCP endpoint ({@code host:port/path}) or a name
 * @param subjectType the {@code event_type} of the judged event (mcp, dns, tls, http)
 */
public record VerdictEvent(long tsMicros, FlowRef flow, String action, String rule, String severity,
                           String reason, String ruleset, String subject, String subjectType)
        implements WardenEvent {
    @Override
    public String eventType() {
        return "verdict";
    }
}
