package io.mcpwarden.siem;

import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.VerdictEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/** Live reload of the configuration file against real TCP receivers on 127.0.0.1 while events flow. */
class ReloadableSiemTest {
    private static final FlowRef FLOW = new FlowRef(7, "1:abc=", "10.0.0.1", 40000, "10.0.0.2", 443, "TCP");
    private static final Duration SCAN = Duration.ofMillis(100);

    @TempDir
    Path tmp;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private Producer producer;

    @AfterEach
    void cleanUp() throws Exception {
        if (producer != null) {
            producer.stop();
        }
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    /** Accepts numbered verdict events ({@code r-<n>-x}) at about 2,000 a second until stopped. */
    private static final class Producer implements Runnable {
        final ReloadableSiem siem;
        final AtomicInteger next = new AtomicInteger();
        volatile boolean stop;
        final Thread thread;

        Producer(ReloadableSiem siem) {
            this.siem = siem;
            thread = new Thread(this, "producer");
            thread.start();
        }

        @Override
        public void run() {
            while (!stop) {
                for (int i = 0; i < 4; i++) {
                    int n = next.getAndIncrement();
                    siem.accept(new VerdictEvent(1_700_000_000_000_000L + n, FLOW, "alert", "r-" + n + "-x", "medium",
                            "numbered", "h1", "mcp.example:443/mcp", "mcp"));
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops and returns how many events were produced. */
        int stop() throws InterruptedException {
            stop = true;
            thread.join();
            return next.get();
        }
    }

    private FrameServer server() throws IOException {
        FrameServer s = new FrameServer();
        closeLater.add(s);
        return s;
    }

    private SiemOptions options() {
        return SiemOptions.DEFAULTS.withSpool(tmp.resolve("spool"), 64L << 20)
                .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private static String dest(String name, FrameServer s, String extra) {
        return "    - url: " + s.url() + "\n      name: " + name + "\n" + extra;
    }

    private static String config(String... dests) {
        return "# test configuration\nsyslog:\n  destinations:\n" + String.join("", dests);
    }

    /** Replaces the file as careful tools do: write a temporary file beside it, then rename over it. */
    private static void replace(Path file, String content) throws IOException {
        Path t = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(t, content);
        Files.move(t, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ReloadableSiem start(Path conf) {
        ReloadableSiem r = ReloadableSiem.start(List.of(), options(), conf, SCAN, Duration.ofSeconds(3), log::add);
        closeLater.add(r);
        return r;
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private void awaitLog(Predicate<String> p) throws InterruptedException {
        await("a log line; have " + log, () -> log.stream().anyMatch(p));
    }

    private long lines(Predicate<String> p) {
        return log.stream().filter(p).count();
    }

    /** Every event from {@code from} (inclusive) to {@code to} (exclusive) is in {@code ids}. */
    private static void assertContiguous(Set<Integer> ids, int from, int to, String who) {
        for (int i = from; i < to; i++) {
            if (!ids.contains(i)) {
                fail(who + " misses event " + i + " of " + from + ".." + (to - 1));
            }
        }
    }

    @Test
    void aDestinationAddedToTheFileStartsReceivingWhileEventsFlow() throws Exception {
        FrameServer a = server();
        FrameServer b = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), config(dest("a", a, "")));
        ReloadableSiem r = start(conf);
        assertTrue(log.get(0).endsWith(": loaded, 1 syslog destination: a"), log.toString());
        producer = new Producer(r);
        await("a receives", () -> a.count() > 200);
        replace(conf, config(dest("a", a, ""), dest("b", b, "      format: cef\n      event_types: [verdict]\n")));
        awaitLog(l -> l.contains("syslog destination added: b tcp://127.0.0.1:" + b.port() + " (format cef"));
        int atAdd = producer.next.get();
        await("b receives", () -> b.count() > 200);
        int produced = producer.stop();
        producer = null;
        DeliveryReport rep = r.close(Duration.ofSeconds(10));
        assertTrue(rep.complete(), rep.toString());
        await("a gets everything", () -> a.ids().size() == produced);
        assertContiguous(a.ids(), 0, produced, "a");
        Set<Integer> got = b.ids();
        int first = got.iterator().next();
        assertTrue(first > 0 && first <= atAdd, "b starts with the events after it was added: " + first);
        assertContiguous(got, first, produced, "b");
        assertTrue(b.frames().stream().allMatch(f -> f.contains("CEF:0|")), "b is sent CEF");
        assertEquals(0, lines(l -> l.contains("rejected") || l.contains("cannot")), log.toString());
        assertEquals(List.of("a", "b"), r.destinations());
    }

    @Test
    void aDestinationRemovedFromTheFileStopsReceivingAndTheOthersGoOn() throws Exception {
        FrameServer a = server();
        FrameServer b = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), config(dest("a", a, ""), dest("b", b, "")));
        ReloadableSiem r = start(conf);
        producer = new Producer(r);
        await("b receives", () -> b.count() > 200);
        replace(conf, config(dest("a", a, "")));
        awaitLog(l -> l.contains("syslog destination removed: b tcp://127.0.0.1:" + b.port() + " (sent "));
        Thread.sleep(300); // the last frames written before the close reach the server
        int bAfterRemoval = b.count();
        int atRemoval = producer.next.get();
        await("more events", () -> producer.next.get() > atRemoval + 1000);
        int produced = producer.stop();
        producer = null;
        assertEquals(bAfterRemoval, b.count(), "b receives nothing once removed");
        assertTrue(b.ids().stream().allMatch(i -> i < atRemoval));
        assertContiguous(b.ids(), 0, b.ids().size(), "b (before its removal)");
        assertEquals(List.of("a"), r.destinations());
        assertFalse(r.counters().keySet().stream().anyMatch(k -> k.startsWith("siem.b.")), r.counters().toString());
        r.close(Duration.ofSeconds(10));
        await("a gets everything", () -> a.ids().size() == produced);
        assertContiguous(a.ids(), 0, produced, "a");
        assertTrue(Files.isDirectory(tmp.resolve("spool").resolve("b")), "the removed destination's spool is kept");
    }

    @Test
    void anInvalidFileIsRejectedWithLineAndColumnAndThePreviousDestinationsKeepReceiving() throws Exception {
        FrameServer a = server();
        FrameServer b = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), config(dest("a", a, "")));
        ReloadableSiem r = start(conf);
        producer = new Producer(r);
        await("a receives", () -> a.count() > 100);
        // line 8 is "      fromat: cef": the unknown key starts in column 7
        replace(conf, config(dest("a", a, ""), dest("b", b, "      fromat: cef\n")));
        awaitLog(l -> l.contains("unknown key 'fromat'"));
        String line = log.stream().filter(l -> l.contains("fromat")).findFirst().orElseThrow();
        assertTrue(line.startsWith("config " + conf + ":8:7: unknown key 'fromat' in a destination (known: url, name, "),
                line);
        assertTrue(line.endsWith("; keeping the previous configuration (1 syslog destination)"), line);
        assertEquals(8, r.lastRejection().line());
        assertEquals(7, r.lastRejection().column());
        // YAML that does not parse: a tab-free but badly indented mapping
        replace(conf, "syslog:\n  destinations:\n    - url: " + a.url() + "\n   name: a\n");
        awaitLog(l -> l.contains("not valid YAML"));
        SiemConfigException e = r.lastRejection();
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.column() > 0, e.getMessage());
        int atReject = producer.next.get();
        await("a keeps receiving", () -> a.ids().contains(atReject + 500));
        int produced = producer.stop();
        producer = null;
        assertEquals(2L, r.counters().get("config.rejected"));
        assertEquals(1L, r.counters().get("config.loaded"));
        assertEquals(List.of("a"), r.destinations());
        assertEquals(0, b.count(), "the rejected file's destination was never started");
        assertEquals(0, lines(l -> l.contains("added")), log.toString());
        r.close(Duration.ofSeconds(10));
        await("a gets everything", () -> a.ids().size() == produced);
        assertContiguous(a.ids(), 0, produced, "a");
    }

    @Test
    void aCorrectedFileIsAppliedAfterARejection() throws Exception {
        FrameServer a = server();
        FrameServer b = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), "syslog:\n  destinations:\n    - url: "
                + a.url() + "\n      min_severity: loud\n");
        ReloadableSiem r = start(conf);
        assertTrue(log.get(0).startsWith("config " + conf + ":4:21: unknown min_severity 'loud'"), log.toString());
        assertEquals(List.of(), r.destinations());
        replace(conf, config(dest("b", b, "      min_severity: notice\n")));
        awaitLog(l -> l.contains("syslog destination added: b ") && l.contains("min_severity notice"));
        r.accept(new VerdictEvent(1, FLOW, "alert", "r-1-x", "medium", "x", "h", "s", "mcp")); // notice: sent
        r.accept(new VerdictEvent(2, FLOW, "allow", "r-2-x", "info", "x", "h", "s", "mcp"));   // info: filtered
        r.close(Duration.ofSeconds(5));
        await("b gets the notice", () -> b.ids().contains(1));
        assertEquals(Set.of(1), b.ids());
        assertNull(r.lastRejection());
        assertEquals(0, a.count());
    }

    @Test
    void writeThenRenameAndHalfWrittenFilesDoNotFlap() throws Exception {
        FrameServer a = server();
        FrameServer b = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), config(dest("a", a, "")));
        ReloadableSiem r = start(conf);
        producer = new Producer(r);
        String same = Files.readString(conf);
        for (int i = 0; i < 20; i++) { // the same content, written again by an editor: no reload at all
            replace(conf, same);
            Files.writeString(tmp.resolve("warden.conf~"), "garbage: [");
            Files.writeString(tmp.resolve(".warden.conf.swp"), "\0\1binary");
            Thread.sleep(15);
        }
        Thread.sleep(4 * SCAN.toMillis());
        assertEquals(1, log.size(), "only the initial load: " + log);
        // a new content written in two steps, faster than the scan: applied once, never rejected half-way
        String next = config(dest("a", a, ""), dest("b", b, ""));
        Files.writeString(conf, next.substring(0, next.length() - 12));
        Thread.sleep(20);
        Files.writeString(conf, next);
        awaitLog(l -> l.contains("added: b"));
        Thread.sleep(4 * SCAN.toMillis());
        assertEquals(2, log.size(), log.toString());
        assertEquals(0, lines(l -> l.contains("keeping the previous")), log.toString());
        assertEquals(2L, r.counters().get("config.loaded"));
        // a comment-only edit is read but changes nothing
        replace(conf, next + "# reviewed\n");
        awaitLog(l -> l.contains("reloaded, syslog destinations unchanged (2 syslog destinations)"));
        int produced = producer.stop();
        producer = null;
        r.close(Duration.ofSeconds(10));
        await("a gets everything", () -> a.ids().size() == produced);
    }

    @Test
    void aChangedDestinationIsRestartedOnItsSpoolWithoutLosingEvents() throws Exception {
        FrameServer a = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), config(dest("a", a, "")));
        ReloadableSiem r = start(conf);
        producer = new Producer(r);
        await("a receives", () -> a.count() > 300);
        replace(conf, config(dest("a", a, "      format: cef\n")));
        awaitLog(l -> l.contains("syslog destination changed: a: format rfc5424 -> cef (restarted; "));
        int atChange = producer.next.get();
        await("cef arrives", () -> a.frames().stream().anyMatch(f -> f.contains("CEF:0|")));
        await("more events", () -> producer.next.get() > atChange + 500);
        int produced = producer.stop();
        producer = null;
        long sentBefore = r.counters().get("siem.a.sent");
        DeliveryReport rep = r.close(Duration.ofSeconds(10));
        assertTrue(rep.complete(), rep.toString());
        await("a gets everything", () -> a.ids().size() == produced);
        assertContiguous(a.ids(), 0, produced, "a");
        assertTrue(rep.destination("a").sent() >= produced, "counters continue across the restart: " + rep);
        assertTrue(sentBefore > 0);
        String lastOld = null;
        for (String f : a.frames()) {
            if (f.contains("CEF:0|")) {
                break;
            }
            lastOld = f;
        }
        assertNotNull(lastOld);
        assertTrue(a.frames().get(a.frames().size() - 1).contains("CEF:0|"), "after the change: cef");
    }

    @Test
    void aFileDestinationMayNotTakeTheNameOfACommandLineOne() throws Exception {
        FrameServer a = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), config(dest("cli", a, "")));
        ReloadableSiem r = ReloadableSiem.start(List.of(SyslogDestination.parse(a.url() + "?name=cli")), options(),
                conf, SCAN, log::add);
        closeLater.add(r);
        assertTrue(log.get(0).startsWith("config " + conf + ":4:7: destination name 'cli' is already used by a "
                + "--syslog option"), log.toString());
        assertTrue(log.get(0).endsWith("; no syslog destinations from this file until it is corrected"), log.get(0));
        assertEquals(List.of("cli"), r.destinations());
        r.accept(new VerdictEvent(1, FLOW, "alert", "r-0-x", "medium", "x", "h", "s", "mcp"));
        r.close(Duration.ofSeconds(5));
        await("the command line's destination works", () -> a.ids().contains(0));
    }

    @Test
    void reloadAppliesTheFileAtOnceWithoutWaitingForTheWatcher() throws Exception {
        FrameServer a = server();
        FrameServer b = server();
        Path conf = Files.writeString(tmp.resolve("warden.conf"), config(dest("a", a, "")));
        // the watcher looks only once an hour: whatever changes below is reload()'s doing
        ReloadableSiem r = ReloadableSiem.start(List.of(), options(), conf, Duration.ofHours(1), Duration.ofSeconds(3),
                log::add);
        closeLater.add(r);
        assertEquals("config " + conf + " unchanged (1 syslog destination)", r.reload());

        Files.writeString(conf, config(dest("a", a, ""), dest("b", b, "")));
        assertEquals("config " + conf + " applied (2 syslog destinations)", r.reload());
        assertEquals(List.of("a", "b"), r.destinations());
        assertTrue(log.stream().anyMatch(l -> l.contains("syslog destination added: b")), log.toString());
        assertEquals("config " + conf + " unchanged (2 syslog destinations)", r.reload());

        Files.writeString(conf, config(dest("a", a, ""), dest("b", b, "      format: xml\n")));
        String rejected = r.reload();
        assertTrue(rejected.startsWith("config rejected: " + conf + ":8:15: unknown syslog format 'xml'"), rejected);
        assertTrue(rejected.endsWith("keeping the previous configuration (2 syslog destinations)"), rejected);
        assertEquals(List.of("a", "b"), r.destinations());

        r.accept(new VerdictEvent(1_700_000_000_000_000L, FLOW, "alert", "r-0-x", "medium", "numbered", "h1",
                "mcp.example:443/mcp", "mcp"));
        r.close(Duration.ofSeconds(10));
        await("both receive", () -> a.count() == 1 && b.count() == 1);
        assertEquals("no configuration file",
                ReloadableSiem.start(List.of(), options(), null, SCAN, Duration.ofSeconds(3), log::add).reload());
    }
}
