package io.mcpwarden.bench;

import io.mcpwarden.capture.CaptureStatus;
import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.pipeline.internal.Pipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline (decode, flows, reassembly, dissectors, MCP recognition, event objects) over a corpus
 * capture replayed from memory: one operation = one capture; packets/s = ops/s × packets per capture.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {
    @Param({"P1.pcap", "P3.pcap", "N5.pcap"})
    public String capture;

    List<Samples.Frame> frames;

    @Setup
    public void setup() throws IOException {
        frames = Samples.load(Samples.corpus(capture));
    }

    @Benchmark
    public InspectionSummary pipeline() {
        long[] count = new long[1];
        EventSink sink = e -> count[0]++;
        return new Pipeline(sink, InspectOptions.DEFAULTS).run(new MemorySource(frames), RunControl.NONE);
    }

    /** Replays frames held in memory. */
    static final class MemorySource implements PacketSource {
        private final List<Samples.Frame> frames;
        private int i;

        MemorySource(List<Samples.Frame> frames) {
            this.frames = frames;
        }

        @Override
        public boolean next(PacketRecord into) {
            if (i >= frames.size()) {
                return false;
            }
            Samples.Frame f = frames.get(i++);
            into.tsNanos = f.tsNanos();
            into.linkType = f.linkType();
            into.data = f.data();
            into.offset = 0;
            into.caplen = f.data().length;
            into.origLen = f.data().length;
            into.fileOffset = -1;
            return true;
        }

        @Override
        public CaptureStatus status() {
            return CaptureStatus.OK;
        }

        @Override
        public void close() {
        }
    }
}
