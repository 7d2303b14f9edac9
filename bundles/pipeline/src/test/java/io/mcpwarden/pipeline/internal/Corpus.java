package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.model.WardenEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: the shared corpus and a pipeline run that collects events. */
final class Corpus {
    static final Path SHARED = Path.of(System.getProperty("warden.shared", "/work/shared"));
    static final Path MCP = SHARED.resolve("corpus/mcp");
    static final Path ROBUSTNESS = SHARED.resolve("corpus/robustness");

    record Run(InspectionSummary summary, List<WardenEvent> events) {
        <T extends WardenEvent> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static Run inspect(Path pcap) throws IOException {
        List<WardenEvent> events = new ArrayList<>();
        EventSink sink = events::add;
        try (PacketSource src = CaptureFiles.open(pcap)) {
            InspectionSummary s = new Pipeline(sink, InspectOptions.DEFAULTS).run(src, RunControl.NONE);
            return new Run(s, events);
        }
    }

    private Corpus() {
    }
}
