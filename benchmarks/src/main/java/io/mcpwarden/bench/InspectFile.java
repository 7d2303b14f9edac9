package io.mcpwarden.bench;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.pipeline.internal.Pipeline;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The pipeline over a capture file in this process, several rounds, events serialised to a discarding
 * stream: {@code java -cp benchmarks.jar io.mcpwarden.bench.InspectFile FILE [ROUNDS]}. For profiling the
 * pipeline without the framework's start-up.
 */
public final class InspectFile {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int r = 0; r < rounds; r++) {
            try (PacketSource src = CaptureFiles.open(file);
                 EveJsonSink sink = new EveJsonSink(new BufferedOutputStream(OutputStream.nullOutputStream(), 1 << 16), true)) {
                InspectionSummary s = new Pipeline(sink, InspectOptions.DEFAULTS.withThreads(Integer.getInteger("threads", 1))).run(src, RunControl.NONE);
                System.out.printf("round %d: %d packets, %.2f s, %.2f Gbit/s, %.0f kpkt/s, events %s%n", r, s.packets(),
                        s.seconds(), s.gbps(), s.packets() / s.seconds() / 1e3, s.eventsByType());
            }
        }
    }

    private InspectFile() {
    }
}
