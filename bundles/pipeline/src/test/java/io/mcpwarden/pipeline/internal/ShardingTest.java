package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Sharding flows over several threads gives exactly the events of a single-threaded run. */
class ShardingTest {

    @Test
    void shardedRunsGiveTheSameEventsAsOneThread() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Corpus.MCP), "corpus not present");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Corpus.MCP)) {
            s.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(files::add);
        }
        Path demo = Path.of(System.getProperty("warden.root", "../.."), "demo", "demo.pcap");
        if (Files.exists(demo)) {
            files.add(demo);
        }
        int compared = 0;
        for (Path f : files) {
            List<String> one = run(f, 1);
            for (int threads : new int[]{2, 3}) {
                List<String> many = run(f, threads);
                if (!one.equals(many)) {
                    List<String> missing = new ArrayList<>(one);
                    missing.removeAll(many);
                    List<String> extra = new ArrayList<>(many);
                    extra.removeAll(one);
                    fail(f + " with " + threads + " threads: only single-threaded " + missing.stream().limit(3).toList()
                            + " only sharded " + extra.stream().limit(3).toList());
                }
            }
            compared += one.size();
        }
        assertTrue(compared > 200, "events compared: " + compared);
    }

    @Test
    void flowIdsRepeatRunToRunAndNoTwoFlowsShareOne() throws IOException {
        Path demo = Path.of(System.getProperty("warden.root", "../.."), "demo", "demo.pcap");
        Assumptions.assumeTrue(Files.exists(demo), "demo capture not present");
        for (int threads : new int[]{1, 3}) {
            List<String> first = run(demo, threads, false);
            assertEquals(first, run(demo, threads, false), threads + " thread(s): the same flow ids on a second run");
            List<String> flows = first.stream().filter(l -> l.contains("\"event_type\":\"flow\"")).toList();
            long ids = flows.stream().map(l -> l.replaceFirst(".*\"flow_id\":(\\d+),.*", "$1")).distinct().count();
            assertTrue(flows.size() > 5, "flows: " + flows.size());
            assertEquals(flows.size(), ids, threads + " thread(s): one id per flow");
        }
    }

    /** Events as JSON lines without the flow id (shards number their flows apart), sorted. */
    private static List<String> run(Path pcap, int threads) throws IOException {
        return run(pcap, threads, true);
    }

    private static List<String> run(Path pcap, int threads, boolean stripIds) throws IOException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (PacketSource src = CaptureFiles.open(pcap)) {
            InspectionSummary s = new Pipeline(e -> lines.add(stripIds ? strip(e) : EveJsonSink.toJson(e)),
                    InspectOptions.DEFAULTS.withThreads(threads))
                    .run(src, RunControl.NONE);
            assertEquals((long) threads, s.counters().get("pipeline.threads"));
            assertNull(s.counters().get("pipeline.failed_threads"));
            assertEquals(lines.size(), s.events());
        }
        List<String> sorted = new ArrayList<>(lines);
        Collections.sort(sorted);
        return sorted;
    }

    private static String strip(WardenEvent e) {
        return EveJsonSink.toJson(e).replaceFirst("\"flow_id\":\\d+,", "");
    }
}
