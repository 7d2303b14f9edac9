package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.CaptureStatus;
import io.mcpwarden.capture.DecodedPacket;
import io.mcpwarden.capture.PacketDecoder;
import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One inspection run: read and decode packets, then flows, reassembly, dissection and MCP recognition
 * ({@link Dissection}) — on the caller's thread, or sharded over several threads by the pair of addresses
 * (so every flow between one client and one server, which MCP correlation spans, stays on one thread).
 */
public final class Pipeline {
    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;
    private static final long FLUSH_EVERY_NANOS = 1_000_000_000L;
    /** Packets handed to a shard at once. */
    static final int BATCH = 256;
    /** Batches in flight per shard. */
    static final int BATCHES_PER_SHARD = 16;
    /** Events a single-threaded run collects before handing them to the events thread. */
    static final int EVENTS_PER_HANDOFF = 256;

    /** The run's sink; only ever called from one thread at a time. */
    private final EventSink sink;
    private final InspectOptions options;
    private final int eventsPerHandOff;
    private final PacketDecoder decoder = new PacketDecoder();
    private final DnsNames dnsNames = new DnsNames();
    private long packets;
    private long bytes;
    /** Capture time of the last decoded packet. */
    private long lastNanos;

    public Pipeline(EventSink sink, InspectOptions options) {
        this(sink, options, EVENTS_PER_HANDOFF);
    }

    /** As above, handing events over in lists of {@code eventsPerHandOff} in single-threaded runs (tests). */
    Pipeline(EventSink sink, InspectOptions options, int eventsPerHandOff) {
        this.sink = sink;
        this.options = options;
        this.eventsPerHandOff = eventsPerHandOff;
    }

    /** Reads the source to its end (or until stopped), then ends every flow and flushes the sink. */
    public InspectionSummary run(PacketSource source, RunControl control) {
        return options.threads() <= 1 ? runSingle(source, control) : runSharded(source, control);
    }

    private InspectionSummary runSingle(PacketSource source, RunControl control) {
        long start = System.nanoTime();
        // dissection on this thread; the sink (rules, EVE, SIEM) on the events thread, so the two overlap
        EventWriter writer = new EventWriter(sink, 1);
        writer.thread.start();
        ShardEvents events = new ShardEvents(writer);
        Dissection d = new Dissection(events, options, dnsNames, 0, 1);
        List<Dissection> shards = List.of(d);
        String readError;
        try {
            readError = read(source, control, start, shards, pkt -> {
                d.process(pkt);
                events.handOffFrom(eventsPerHandOff);
            }, () -> {
                events.handOff();
                writer.requestFlush();
            });
            d.finish(lastNanos);
        } finally {
            events.handOff();
            writer.end();
        }
        sink.flush();
        InspectionSummary s = summary(source, System.nanoTime() - start, readError, shards, 0, writer.errors);
        control.progress(s);
        return s;
    }

    private InspectionSummary runSharded(PacketSource source, RunControl control) {
        long start = System.nanoTime();
        int n = options.threads();
        EventWriter writer = new EventWriter(sink, n);
        writer.thread.start();
        List<Dissection> shards = new ArrayList<>(n);
        List<Shard> workers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ShardEvents events = new ShardEvents(writer);
            Dissection d = new Dissection(events, options, dnsNames, i, n);
            shards.add(d);
            Shard w = new Shard(d, events, i);
            workers.add(w);
            w.thread.start();
        }
        String readError = read(source, control, start, shards, pkt -> {
            int h = addrHash(pkt.srcAddr, pkt.addrLen) ^ addrHash(pkt.dstAddr, pkt.addrLen);
            workers.get(Math.floorMod(h ^ (h >>> 16), n)).add(pkt);
        }, () -> {
            for (Shard w : workers) {
                w.handOffPartial(); // a quiet link's last packets are dissected now, not when a batch fills
            }
            writer.requestFlush();
        });
        long failures = 0;
        for (Shard w : workers) {
            w.end(lastNanos);
        }
        for (Shard w : workers) {
            w.join();
            failures += w.failed ? 1 : 0;
        }
        writer.end();
        sink.flush();
        InspectionSummary s = summary(source, System.nanoTime() - start, readError, shards, failures, writer.errors);
        control.progress(s);
        return s;
    }

    /** TLS secrets carried by the capture (pcapng Decryption Secrets Blocks), with those of the options. */
    private io.mcpwarden.tls.decrypt.KeyLog captureKeys;
    private long captureSecrets;
    private long otherSecrets;

    /** A Decryption Secrets Block: TLS key log text is added to the keys every shard decrypts with. */
    private void secrets(byte[] data, int type, List<Dissection> shards) {
        if (type != PacketSource.SECRETS_TLS_KEY_LOG) {
            otherSecrets++;
            return;
        }
        if (captureKeys == null) {
            captureKeys = new io.mcpwarden.tls.decrypt.KeyLog();
            if (options.keyLog() != null) {
                captureKeys.addAll(options.keyLog());
            }
            for (Dissection d : shards) {
                d.useKeys(captureKeys);
            }
        }
        captureSecrets += io.mcpwarden.tls.decrypt.KeyLogParser.parse(
                new String(data, java.nio.charset.StandardCharsets.ISO_8859_1), captureKeys).secrets();
    }

    /**
     * The read loop shared by both modes; returns a read error message or null. {@code flush} writes out the
     * events held in buffers, on the thread that writes events: about once a second (a live link that is slow or
     * quiet still shows its events, e.g. those of a rule reload, within a second or two).
     */
    private String read(PacketSource source, RunControl control, long start, List<Dissection> shards,
                        java.util.function.Consumer<DecodedPacket> process, Runnable flush) {
        source.onDecryptionSecrets((data, type) -> secrets(data, type, shards));
        source.onTick(flush);
        long nextProgress = start + PROGRESS_EVERY_NANOS;
        long nextFlush = start + FLUSH_EVERY_NANOS;
        PacketRecord rec = new PacketRecord();
        DecodedPacket pkt = new DecodedPacket();
        try {
            while (source.next(rec)) {
                packets++;
                bytes += rec.caplen;
                if (decoder.decode(rec, pkt)) {
                    lastNanos = Math.max(lastNanos, pkt.tsNanos);
                    process.accept(pkt);
                }
                if ((packets & 1023) == 0) {
                    long t = System.nanoTime();
                    if (t >= nextProgress) {
                        nextProgress = t + PROGRESS_EVERY_NANOS;
                        control.progress(summary(source, t - start, null, List.of(), 0, 0));
                    }
                    if (t >= nextFlush) {
                        nextFlush = t + FLUSH_EVERY_NANOS;
                        flush.run();
                    }
                    if (control.stopRequested()) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            return e.getMessage();
        } catch (RuntimeException bug) {
            return "internal error while reading: " + bug;
        }
        return null;
    }

    private static int addrHash(byte[] a, int len) {
        int h = 1;
        for (int i = 0; i < len; i++) {
            h = 31 * h + a[i];
        }
        return h;
    }

    private InspectionSummary summary(PacketSource source, long nanos, String readError, List<Dissection> shards,
                                      long failedShards, long sinkErrors) {
        Map<String, Long> counters = new TreeMap<>(decoder.counters());
        Map<String, Long> events = new TreeMap<>();
        long flows = 0;
        for (Dissection d : shards) {
            d.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
            d.eventCounts().forEach((k, v) -> events.merge(k, v, Long::sum));
            flows += d.flowsCreated();
        }
        counters.put("dns.names_learnt", (long) dnsNames.size());
        if (captureSecrets > 0) {
            counters.put("tls.decrypt.capture_secrets", captureSecrets);
        }
        if (otherSecrets > 0) {
            counters.put("capture.unsupported_secrets_blocks", otherSecrets);
        }
        counters.put("pipeline.threads", (long) Math.max(1, shards.size()));
        if (failedShards > 0) {
            counters.put("pipeline.failed_threads", failedShards);
        }
        if (sinkErrors > 0) {
            counters.put("pipeline.sink_errors", sinkErrors);
        }
        CaptureStatus status = source.status();
        if (readError != null) {
            status = new CaptureStatus("truncated", source.position(), "read error: " + readError);
        }
        return new InspectionSummary(packets, bytes, source.position(), source.size(), flows, events, nanos, status,
                counters);
    }

    /** A batch of decoded packets copied out of the reader's buffers. */
    private static final class Batch {
        final DecodedPacket[] pkts = new DecodedPacket[BATCH];
        int size;
        boolean last;

        Batch() {
            for (int i = 0; i < BATCH; i++) {
                pkts[i] = new DecodedPacket();
                pkts[i].payload = new byte[2048];
            }
        }
    }

    /** One pipeline thread and its queues. */
    private static final class Shard {
        final Dissection dissection;
        final ShardEvents events;
        final Thread thread;
        final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES_PER_SHARD + 1);
        final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES_PER_SHARD + 1);
        Batch filling;
        volatile boolean failed;
        /** Written before the last batch is queued; the queue hand-off publishes it to the worker. */
        long lastNanos;

        Shard(Dissection dissection, ShardEvents events, int index) {
            this.dissection = dissection;
            this.events = events;
            for (int i = 0; i < BATCHES_PER_SHARD; i++) {
                free.add(new Batch());
            }
            this.thread = new Thread(this::work, "warden-pipeline-" + index);
            this.thread.setDaemon(true);
        }

        void add(DecodedPacket p) {
            if (filling == null) {
                filling = take(free);
            }
            copy(p, filling.pkts[filling.size++]);
            if (filling.size == BATCH) {
                put(full, filling);
                filling = null;
            }
        }

        /** Queues the batch being filled, if it holds any packet (on the reading thread). */
        void handOffPartial() {
            if (filling != null && filling.size > 0) {
                put(full, filling);
                filling = null;
            }
        }

        void end(long lastNanos) {
            this.lastNanos = lastNanos;
            Batch b = filling != null ? filling : take(free);
            filling = null;
            b.last = true;
            put(full, b);
        }

        void join() {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void work() {
            boolean processing = true;
            while (true) {
                Batch b = take(full);
                if (processing) {
                    try {
                        for (int i = 0; i < b.size; i++) {
                            dissection.process(b.pkts[i]);
                        }
                    } catch (Throwable t) {
                        failed = true;
                        processing = false;
                    }
                }
                boolean last = b.last;
                b.size = 0;
                b.last = false;
                put(free, b);
                events.handOff();
                if (last) {
                    break;
                }
            }
            try {
                dissection.finish(lastNanos);
            } catch (Throwable t) {
                failed = true;
            }
            events.handOff();
        }

        private static void copy(DecodedPacket s, DecodedPacket d) {
            d.tsNanos = s.tsNanos;
            d.ipVersion = s.ipVersion;
            d.addrLen = s.addrLen;
            System.arraycopy(s.srcAddr, 0, d.srcAddr, 0, s.addrLen);
            System.arraycopy(s.dstAddr, 0, d.dstAddr, 0, s.addrLen);
            d.protocol = s.protocol;
            d.srcPort = s.srcPort;
            d.dstPort = s.dstPort;
            d.tcpFlags = s.tcpFlags;
            d.seq = s.seq;
            d.ack = s.ack;
            d.ipLength = s.ipLength;
            if (d.payload.length < s.payloadLength) {
                d.payload = new byte[Math.max(s.payloadLength, d.payload.length * 2)];
            }
            System.arraycopy(s.payload, s.payloadOffset, d.payload, 0, s.payloadLength);
            d.payloadOffset = 0;
            d.payloadLength = s.payloadLength;
        }

        static <T> T take(BlockingQueue<T> q) {
            while (true) {
                try {
                    return q.take();
                } catch (InterruptedException e) {
                    // keep the run consistent: the batch protocol must complete
                }
            }
        }

        static <T> void put(BlockingQueue<T> q, T b) {
            while (true) {
                try {
                    q.put(b);
                    return;
                } catch (InterruptedException e) {
                    // as above
                }
            }
        }
    }

    /**
     * The events of one pipeline thread, collected while it works through a batch of packets and then handed
     * to the {@link EventWriter} at once, in the order they were produced.
     */
    private static final class ShardEvents implements EventSink {
        private final EventWriter writer;
        private List<WardenEvent> events = new ArrayList<>();

        ShardEvents(EventWriter writer) {
            this.writer = writer;
        }

        @Override
        public void accept(WardenEvent event) {
            events.add(event);
        }

        /** Hands the events over once there are at least {@code n}. */
        void handOffFrom(int n) {
            if (events.size() >= n) {
                handOff();
            }
        }

        /** Passes the events collected so far on to the writer (waits while it is far behind). */
        void handOff() {
            if (!events.isEmpty()) {
                List<WardenEvent> l = events;
                events = writer.spare();
                Shard.put(writer.queue, l);
            }
        }
    }

    /**
     * One thread that passes the events of every pipeline thread to the run's sink (rule evaluation, EVE
     * serialisation and output), so that this work overlaps with dissection instead of being done under a lock
     * by each pipeline thread. Events of one pipeline thread keep their order.
     */
    private static final class EventWriter {
        private static final List<WardenEvent> END = List.of();
        /** Asks the writer thread to {@link EventSink#tick()} the sink (once a second); never blocks the reader. */
        private static final List<WardenEvent> FLUSH = java.util.Collections.unmodifiableList(new ArrayList<>());

        final EventSink sink;
        final Thread thread;
        final BlockingQueue<List<WardenEvent>> queue;
        /** Emptied lists for reuse by the pipeline threads. */
        private final BlockingQueue<List<WardenEvent>> spares;
        /** Events the sink threw on; read after the thread ended. */
        long errors;

        EventWriter(EventSink sink, int shards) {
            this.sink = sink;
            this.queue = new ArrayBlockingQueue<>(BATCHES_PER_SHARD * shards);
            this.spares = new ArrayBlockingQueue<>(BATCHES_PER_SHARD * shards);
            this.thread = new Thread(this::work, "warden-events");
            this.thread.setDaemon(true);
        }

        void requestFlush() {
            queue.offer(FLUSH);
        }

        List<WardenEvent> spare() {
            List<WardenEvent> l = spares.poll();
            return l != null ? l : new ArrayList<>();
        }

        private void work() {
            while (true) {
                List<WardenEvent> l = Shard.take(queue);
                if (l == END) {
                    return;
                }
                if (l == FLUSH) {
                    try {
                        sink.tick();
                    } catch (RuntimeException | Error e) {
                        errors++;
                    }
                    continue;
                }
                for (int i = 0, n = l.size(); i < n; i++) {
                    try {
                        sink.accept(l.get(i));
                    } catch (RuntimeException | Error e) { // counted; this thread must live or the run hangs
                        errors++;
                    }
                }
                l.clear();
                spares.offer(l);
            }
        }

        /** Waits until every event queued so far has been passed on. */
        void end() {
            Shard.put(queue, END);
            while (true) {
                try {
                    thread.join();
                    return;
                } catch (InterruptedException e) {
                    // the events must all be written before the run ends
                }
            }
        }
    }
}
