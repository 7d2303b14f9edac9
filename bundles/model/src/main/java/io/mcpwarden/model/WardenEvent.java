package io.mcpwarden.model;

/** Every event the appliance emits: a capture timestamp, the flow it concerns, and its type. */
public sealed interface WardenEvent permits DnsEvent, TlsEvent, HttpEvent, McpEvent, FlowEvent, VerdictEvent, RulesEvent {

    /** Capture time of the packet that completed the event, microseconds since the epoch (UTC). */
    long tsMicros();

    /** The flow, oriented as the event is reported; null for events about the appliance itself (rules). */
    FlowRef flow();

    /** The EVE {@code event_type}: dns, tls, http, mcp, flow, verdict or rules. */
    String eventType();
}
