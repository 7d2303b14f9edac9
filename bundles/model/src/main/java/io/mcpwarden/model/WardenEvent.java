package io.mcpwarden.model;

/** Every event the appliance emits: a capture timestamp, the flow it concerns, and its type. */
public sealed interface WardenEvent permits DnsEvent, TlsEvent, HttpEvent, McpEvent, FlowEvent {

    /** Capture time of the packet that completed the event, microseconds since the epoch (UTC). */
    long tsMicros();

    /** The flow, oriented as the event is reported. */
    FlowRef flow();

    /** The EVE {@code event_type}: dns, tls, http, mcp or flow. */
    String eventType();
}
