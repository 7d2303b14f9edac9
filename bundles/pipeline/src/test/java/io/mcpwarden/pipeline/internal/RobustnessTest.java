package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.CaptureFormatException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every capture of the robustness corpus (real-world and deliberately malformed) through the whole
 * pipeline: no exception escapes, no hang, no internal error counted, memory bounded.
 */
class RobustnessTest {

    @Test
    void everyRobustnessCaptureRunsThroughThePipeline() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Corpus.ROBUSTNESS), "robustness corpus not present");
        List<Path> files;
        try (Stream<Path> s = Files.list(Corpus.ROBUSTNESS)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, Integer> status = new TreeMap<>();
        long packets = 0;
        long events = 0;
        long start = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        for (Path f : files) {
            Corpus.Run run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try {
                    return Corpus.inspect(f);
                } catch (CaptureFormatException notACapture) {
                    return null;
                }
            }, f.toString());
            if (run == null) {
                status.merge("not-a-capture", 1, Integer::sum);
                continue;
            }
            status.merge(run.summary().status().state(), 1, Integer::sum);
            packets += run.summary().packets();
            events += run.events().size();
            Map<String, Long> c = run.summary().counters();
            assertEquals(0L, c.getOrDefault("pipeline.internal_error", 0L), f + ": internal error");
            assertEquals(0L, c.getOrDefault("pipeline.dissector_error", 0L), f + ": dissector error");
        }
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        System.out.printf("robustness: %d files %s, %d packets, %d events, %.1f s, heap delta %d MB%n",
                files.size(), status, packets, events, (System.nanoTime() - start) / 1e9,
                (heapAfter - heapBefore) >> 20);
        assertTrue(files.size() > 100, "robustness files: " + files.size());
        assertTrue(packets > 5_000, "packets: " + packets);
    }
}
