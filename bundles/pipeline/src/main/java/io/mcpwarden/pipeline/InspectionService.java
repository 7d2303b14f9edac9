package io.mcpwarden.pipeline;

import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;

/**
 * Runs the whole pipeline (decode, flows, reassembly, DNS/TLS/HTTP dissection, MCP fingerprinting) over a
 * packet source and hands every event to a sink. Registered as an OSGi service by the pipeline bundle.
 */
public interface InspectionService {

    /**
     * Reads {@code source} to its end (or until {@code control} says stop), then ends every open flow
     * (reason {@code shutdown}) so that no event is lost, and flushes the sink.
     *
     * @param source   packets (file or live); closed by the caller
     * @param sink     receives every event
     * @param options  limits and switches
     * @param control  progress callback and stop flag; may be {@link RunControl#NONE}
     * @return what was seen
     */
    InspectionSummary inspect(PacketSource source, EventSink sink, InspectOptions options, RunControl control);
}
