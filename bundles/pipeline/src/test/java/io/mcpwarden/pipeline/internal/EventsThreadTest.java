package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A single-threaded run dissects on the caller's thread and passes the events to the sink on one events thread
 * (rules, EVE and SIEM overlap with dissection): same events in the same order, every sink call on that one
 * thread, flush after the last event, a sink that throws counted and the run going on.
 */
class EventsThreadTest {
    /** Small lists, so that the corpus's captures are handed over many times each. */
    private static final int HAND_OFF = 7;

    /** The labelled captures and the real-world ones of the robustness corpus (many more events). */
    private static List<Path> captures() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Corpus.MCP), "corpus not present");
        List<Path> out = new ArrayList<>();
        for (Path dir : List.of(Corpus.MCP, Corpus.ROBUSTNESS)) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                            .forEach(out::add);
                }
            }
        }
        Path demo = Path.of(System.getProperty("warden.root", "../.."), "demo", "demo.pcap");
        if (Files.exists(demo)) {
            out.add(demo);
        }
        return out;
    }

    /** Records what the pipeline calls, and on which thread. */
    private static final class Recording implements EventSink {
        final List<WardenEvent> events = new ArrayList<>();
        final Set<Thread> threads = new HashSet<>();
        final int throwEvery;
        int calls;
        int flushes;
        int eventsAtFlush = -1;

        Recording(int throwEvery) {
            this.throwEvery = throwEvery;
        }

        @Override
        public void accept(WardenEvent e) {
            threads.add(Thread.currentThread());
            events.add(e);
            if (throwEvery > 0 && ++calls % throwEvery == 0) {
                throw new IllegalStateException("sink failure " + calls);
            }
        }

        @Override
        public void flush() {
            flushes++;
            eventsAtFlush = events.size();
        }

        @Override
        public void tick() {
            // once a second on a slow run: not the flush at the end
        }
    }

    @Test
    void eventsReachTheSinkOnOneOtherThreadInOrderAndBeforeTheFlush() throws IOException {
        long compared = 0;
        long most = 0;
        for (Path f : captures()) {
            Recording r = new Recording(0);
            InspectionSummary s;
            try (PacketSource src = CaptureFiles.open(f)) {
                s = new Pipeline(r, InspectOptions.DEFAULTS, HAND_OFF).run(src, RunControl.NONE);
            }
            assertEquals(s.events(), r.events.size(), f.toString());
            assertEquals(1, r.flushes, f.toString());
            assertEquals(r.events.size(), r.eventsAtFlush, "flush after the last event: " + f);
            if (!r.events.isEmpty()) {
                assertEquals(1, r.threads.size(), f.toString());
                assertNotEquals(Thread.currentThread(), r.threads.iterator().next(), f.toString());
            }
            // the hand-over keeps the order: a second run gives the same sequence
            List<WardenEvent> again = new ArrayList<>();
            try (PacketSource src = CaptureFiles.open(f)) {
                new Pipeline(again::add, InspectOptions.DEFAULTS).run(src, RunControl.NONE);
            }
            assertEquals(strip(r.events), strip(again), "same events in the same order: " + f);
            compared += r.events.size();
            most = Math.max(most, r.events.size());
        }
        assertTrue(most > 5 * HAND_OFF, "events of one run handed over several times: " + most);
    }

    @Test
    void aSinkThatThrowsIsCountedAndTheRunGoesOn() throws IOException {
        Path f = captures().stream().filter(p -> p.startsWith(Corpus.MCP))
                .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        Recording r = new Recording(3);
        InspectionSummary s;
        try (PacketSource src = CaptureFiles.open(f)) {
            s = new Pipeline(r, InspectOptions.DEFAULTS, HAND_OFF).run(src, RunControl.NONE);
        }
        assertTrue(r.events.size() >= 3, "events: " + r.events.size());
        assertEquals(s.events(), r.events.size(), "every event still offered");
        assertEquals(r.events.size() / 3, s.counters().get("pipeline.sink_errors"));
        assertEquals("ok", s.status().state(), "a failing sink is not a read error: " + s.status());
    }

    private static List<String> strip(List<WardenEvent> events) {
        List<String> out = new ArrayList<>(events.size());
        for (WardenEvent e : events) {
            out.add(io.mcpwarden.events.EveJsonSink.toJson(e).replaceFirst("\"flow_id\":\\d+,", ""));
        }
        return out;
    }
}
