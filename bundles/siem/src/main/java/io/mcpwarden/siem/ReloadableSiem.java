package io.mcpwarden.siem;

import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.WardenEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * The syslog destinations of a running appliance: those given on the command line (fixed) plus those of the
 * configuration file ({@link SiemConfig}), which is watched and applied while events flow.
 *
 * <p>Each file destination has its own {@link SiemExporter}. When the file changes (and its content stayed the
 * same across two scans, so a file being written is not read half-way), added destinations are started,
 * removed ones are closed (what they have not sent stays in their spool directory) and changed ones are
 * closed and started again with the new settings; the others are not touched. A file that cannot be used is
 * rejected as a whole, with line and column, and the previous destinations keep running.
 *
 * <p>No event is lost by a reload: {@link #accept} hands each event to one consistent set of destinations
 * (read lock), and the set is swapped under the write lock. A destination that is restarted gets a bounded
 * hand-off queue for the time its old exporter needs to close (its spool directory is reused by the new one),
 * drained into the new exporter before it takes over. Counters of a restarted destination continue; those of a
 * removed one disappear with it.
 *
 * <p>Every change and every rejected file is reported as one line to the {@code log} given to
 * {@link #start}, beginning with {@code config FILE}.
 */
public final class ReloadableSiem implements EventSink {
    /** How often the file is looked at. */
    public static final Duration DEFAULT_SCAN = Duration.ofSeconds(1);
    /** How long a removed or changed destination may take to finish before it is closed anyway. */
    public static final Duration DEFAULT_RETIRE = Duration.ofSeconds(3);

    private final SiemExporter fixed;
    private final Set<String> fixedNames;
    private final SiemOptions base;
    private final Path file;
    private final Consumer<String> log;
    private final long scanNanos;
    private final Duration retire;

    private final StampedLock lock = new StampedLock();
    private EventSink[] sinks = new EventSink[0];                // guarded by lock
    private boolean closed;                                      // guarded by lock

    private final Object applyLock = new Object();
    private final Map<String, Slot> slots = new LinkedHashMap<>(); // guarded by applyLock
    private volatile List<Slot> slotList = List.of();
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile SiemConfigException lastRejection;
    private volatile boolean stopping;
    private Thread watcher;
    private final Object scanLock = new Object();
    private String attempted;                                    // guarded by scanLock (after start)
    private String pending;                                      // guarded by scanLock (after start)
    private DeliveryReport finalReport;                          // guarded by applyLock

    /** A file destination: its settings, its exporter, and the totals of its earlier exporters. */
    private static final class Slot {
        final String name;
        volatile Spec spec;
        volatile SiemExporter exporter;   // null while it is being restarted
        volatile SiemExporter retiring;   // the old exporter while it closes
        volatile Handoff handoff;         // events arriving while it is restarted
        volatile DestinationReport retired;

        Slot(String name, Spec spec, SiemExporter exporter) {
            this.name = name;
            this.spec = spec;
            this.exporter = exporter;
        }
    }

    /** What decides whether a destination must be restarted. */
    private record Spec(SyslogDestination dest, SiemOptions options) {
    }

    /** Holds events while a destination is restarted. */
    private static final class Handoff implements EventSink {
        final ArrayBlockingQueue<WardenEvent> queue;
        final AtomicLong dropped = new AtomicLong();

        Handoff(int capacity) {
            queue = new ArrayBlockingQueue<>(capacity);
        }

        @Override
        public void accept(WardenEvent event) {
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
            }
        }
    }

    private ReloadableSiem(SiemExporter fixed, Set<String> fixedNames, SiemOptions base, Path file,
                           Consumer<String> log, Duration scan, Duration retire) {
        this.fixed = fixed;
        this.fixedNames = fixedNames;
        this.base = base;
        this.file = file;
        this.log = log;
        this.scanNanos = Math.max(10_000_000L, scan.toNanos());
        this.retire = retire;
    }

    /**
     * Starts the fixed destinations, loads the configuration file (a file that cannot be used is reported and
     * gives no destinations until it is corrected) and watches it.
     *
     * @param fixed      destinations that are never reloaded (the command line's); may be empty
     * @param options    settings of the fixed destinations, and of the file's where the file does not say
     * @param configFile the configuration file, or null for none (then nothing is watched)
     * @param scan       how often the file is looked at ({@link #DEFAULT_SCAN})
     * @param log        receives one line per change or rejected file
     * @throws IllegalArgumentException when two fixed destinations share a name
     */
    public static ReloadableSiem start(List<SyslogDestination> fixed, SiemOptions options, Path configFile,
                                       Duration scan, Consumer<String> log) {
        return start(fixed, options, configFile, scan, DEFAULT_RETIRE, log);
    }

    /** {@link #start(List, SiemOptions, Path, Duration, Consumer)} with the time a retiring destination gets. */
    public static ReloadableSiem start(List<SyslogDestination> fixed, SiemOptions options, Path configFile,
                                       Duration scan, Duration retire, Consumer<String> log) {
        SiemOptions o = options == null ? SiemOptions.DEFAULTS : options;
        SiemExporter f = fixed.isEmpty() ? null : SiemExporter.start(fixed, o);
        Set<String> names = Set.copyOf(fixed.stream().map(SyslogDestination::name).toList());
        ReloadableSiem r = new ReloadableSiem(f, names, o, configFile, log == null ? s -> { } : log,
                scan == null ? DEFAULT_SCAN : scan, retire == null ? DEFAULT_RETIRE : retire);
        if (configFile != null) {
            r.initial();
        }
        r.rebuild();
        if (configFile != null) {
            Thread t = new Thread(r::watch, "siem-config-watch");
            t.setDaemon(true);
            r.watcher = t;
            t.start();
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------- events

    /** Hands the event to every current destination. Never throws; ignored after close. */
    @Override
    public void accept(WardenEvent event) {
        if (event == null) {
            return;
        }
        long stamp = lock.readLock();
        try {
            if (closed) {
                return;
            }
            for (EventSink s : sinks) {
                s.accept(event);
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Delivery is continuous; nothing to push. */
    @Override
    public void flush() {
    }

    // ------------------------------------------------------------------------------------------- state

    /** The configuration file, or null. */
    public Path configFile() {
        return file;
    }

    /** Names of the destinations now running: the fixed ones, then the file's in file order. */
    public List<String> destinations() {
        List<String> n = new ArrayList<>(fixedNames);
        n.sort(null);
        for (Slot s : slotList) {
            n.add(s.name);
        }
        return n;
    }

    /** The last rejected file (cleared when a file is applied), or null. */
    public SiemConfigException lastRejection() {
        return lastRejection;
    }

    /**
     * Counters of {@link SiemExporter#counters()} for every destination (a restarted destination's continue
     * across restarts), plus {@code config.loaded} and {@code config.rejected} (files applied and refused).
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        if (fixed != null) {
            m.putAll(fixed.counters());
        }
        for (Slot s : slotList) {
            String p = "siem." + s.name + ".";
            Map<String, Long> c = new TreeMap<>();
            SiemExporter x = s.exporter;
            if (x != null) {
                c.putAll(x.counters());
            }
            SiemExporter old = s.retiring;
            if (old != null) {
                old.counters().forEach((k, v) -> c.merge(k, v, Long::sum));
            }
            Handoff h = s.handoff;
            if (h != null) {
                c.merge(p + "queued", (long) h.queue.size(), Long::sum);
                c.merge(p + "dropped", h.dropped.get(), Long::sum);
            }
            DestinationReport r = s.retired;
            if (r != null) {
                c.merge(p + "sent", r.sent(), Long::sum);
                c.merge(p + "resent", r.resent(), Long::sum);
                c.merge(p + "dropped", r.dropped(), Long::sum);
                c.merge(p + "reconnects", r.reconnects(), Long::sum);
                c.merge(p + "errors", r.errors(), Long::sum);
            }
            m.putAll(c);
        }
        if (file != null) {
            m.put("config.loaded", loaded.get());
            m.put("config.rejected", rejected.get());
        }
        return m;
    }

    /** The delivery state now, per running destination, without closing. */
    public DeliveryReport report() {
        List<DestinationReport> r = new ArrayList<>();
        if (fixed != null) {
            r.addAll(fixed.report().destinations());
        }
        for (Slot s : slotList) {
            SiemExporter x = s.exporter;
            if (x != null) {
                r.add(merge(s.retired, x.report().destinations().get(0)));
            } else if (s.retired != null) {
                r.add(s.retired);
            }
        }
        return new DeliveryReport(r);
    }

    // ------------------------------------------------------------------------------------------- close

    /** {@link #close(Duration)} with 10 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Stops watching, stops accepting events and closes every destination (all at once, each until
     * {@code timeout}); reports per destination as {@link SiemExporter#close(Duration)} does.
     */
    public DeliveryReport close(Duration timeout) {
        stopping = true;
        Thread w = watcher;
        if (w != null) {
            LockSupport.unpark(w);
        }
        synchronized (applyLock) {
            if (finalReport != null) {
                return finalReport;
            }
            long stamp = lock.writeLock();
            try {
                closed = true;
                sinks = new EventSink[0];
            } finally {
                lock.unlockWrite(stamp);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            if (fixed != null) {
                fixed.beginClose(deadline);
            }
            for (Slot s : slots.values()) {
                if (s.exporter != null) {
                    s.exporter.beginClose(deadline);
                }
            }
            List<DestinationReport> r = new ArrayList<>();
            if (fixed != null) {
                r.addAll(fixed.awaitClose(deadline).destinations());
            }
            for (Slot s : slots.values()) {
                if (s.exporter != null) {
                    r.add(merge(s.retired, s.exporter.awaitClose(deadline).destinations().get(0)));
                }
            }
            finalReport = new DeliveryReport(r);
        }
        if (w != null) {
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return finalReport;
    }

    // ------------------------------------------------------------------------------------------- loading

    private void initial() {
        byte[] content;
        try {
            content = read(file);
            attempted = fingerprint(content);
        } catch (IOException e) {
            attempted = "error";
            reject(new SiemConfigException(file.toString(), 0, 0, e instanceof NoSuchFileException
                    ? "no such file" : "cannot be read: " + e.getMessage()), true);
            return;
        }
        load(content, true);
    }

    private void watch() {
        while (!stopping) {
            LockSupport.parkNanos(scanNanos);
            if (stopping) {
                return;
            }
            try {
                synchronized (scanLock) {
                    scan(false);
                }
            } catch (RuntimeException | LinkageError e) {
                log.accept("config " + file + ": watcher: " + e);
            }
        }
    }

    /**
     * Reads the configuration file now, without waiting for it to stay the same across two scans (the operator
     * says the edit is complete, e.g. by SIGHUP or {@code systemctl reload}), and applies it as the watcher
     * would: changed destinations restarted, a file with errors rejected with line and column while the
     * previous destinations keep running. Content equal to the last attempt is not applied again.
     *
     * @return one line for an operator: {@code config FILE unchanged (N syslog destinations)}, {@code … applied
     *         (…)}, {@code … rejected: …}, or {@code no configuration file} when none is watched
     */
    public String reload() {
        if (file == null) {
            return "no configuration file";
        }
        synchronized (scanLock) {
            long rejectedBefore = rejected.get();
            long loadedBefore = loaded.get();
            if (!scan(true)) {
                return "config " + file + " unchanged (" + count(slotList.size()) + ")";
            }
            if (rejected.get() != rejectedBefore) {
                SiemConfigException e = lastRejection;
                return "config rejected: " + (e == null ? "?" : e.getMessage()) + "; keeping the previous configuration ("
                        + count(slotList.size()) + ")";
            }
            return "config " + file + (loaded.get() != loadedBefore ? " applied (" : " read (")
                    + count(slotList.size()) + ")";
        }
    }

    /**
     * One look at the file; a new content is applied once it stayed the same across two looks, or at once
     * with {@code force}. Returns whether a new content was applied or rejected.
     */
    private boolean scan(boolean force) {
        byte[] content = null;
        String fp;
        String problem = null;
        try {
            content = read(file);
            fp = fingerprint(content);
        } catch (NoSuchFileException e) {
            fp = "missing";
            problem = "no such file (deleted or renamed)";
        } catch (IOException e) {
            fp = "error " + e.getMessage();
            problem = "cannot be read: " + e.getMessage();
        }
        if (fp.equals(attempted)) {
            pending = null;
            return false;
        }
        if (!force && !fp.equals(pending)) {
            pending = fp;
            return false;
        }
        attempted = fp;
        pending = null;
        if (content == null) {
            reject(new SiemConfigException(file.toString(), 0, 0, problem), false);
            return true;
        }
        load(content, false);
        return true;
    }

    private static byte[] read(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(SiemConfig.MAX_BYTES + 1);
            return b;
        }
    }

    private static String fingerprint(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void load(byte[] content, boolean initial) {
        SiemConfig c;
        try {
            c = SiemConfig.parse(file.toString(), content, file.toAbsolutePath().getParent());
            for (SiemConfig.Entry e : c.destinations()) {
                if (fixedNames.contains(e.destination().name())) {
                    throw new SiemConfigException(file.toString(), e.line(), e.column(), "destination name '"
                            + e.destination().name() + "' is already used by a --syslog option: give this one "
                            + "another 'name'");
                }
            }
        } catch (SiemConfigException e) {
            reject(e, initial);
            return;
        }
        apply(c, initial);
    }

    private void reject(SiemConfigException e, boolean initial) {
        rejected.incrementAndGet();
        lastRejection = e;
        int n = slotList.size();
        log.accept("config " + e.getMessage() + (initial
                ? "; no syslog destinations from this file until it is corrected"
                : "; keeping the previous configuration (" + count(n) + ")"));
    }

    private static String count(int n) {
        return n == 1 ? "1 syslog destination" : n + " syslog destinations";
    }

    private void apply(SiemConfig c, boolean initial) {
        synchronized (applyLock) {
            if (finalReport != null) {
                return;
            }
            SiemOptions opts = c.options(base);
            Map<String, Spec> want = new LinkedHashMap<>();
            for (SyslogDestination d : c.syslogDestinations()) {
                want.put(d.name(), new Spec(d, opts));
            }
            List<String> added = new ArrayList<>();
            List<Slot> removed = new ArrayList<>();
            List<Slot> changed = new ArrayList<>();
            for (Map.Entry<String, Spec> e : want.entrySet()) {
                Slot s = slots.get(e.getKey());
                if (s == null) {
                    added.add(e.getKey());
                } else if (!s.spec.equals(e.getValue())) {
                    changed.add(s);
                }
            }
            for (Slot s : slots.values()) {
                if (!want.containsKey(s.name)) {
                    removed.add(s);
                }
            }
            loaded.incrementAndGet();
            lastRejection = null;
            String where = "config " + file + ": ";
            if (initial) {
                log.accept(where + "loaded, " + (want.isEmpty() ? "no syslog destinations"
                        : count(want.size()) + ": " + String.join(", ", want.keySet())));
            } else if (added.isEmpty() && removed.isEmpty() && changed.isEmpty()) {
                log.accept(where + "reloaded, syslog destinations unchanged (" + count(want.size()) + ")");
                return;
            }

            // 1. start the new destinations before they are visible
            Map<String, SiemExporter> started = new LinkedHashMap<>();
            for (String n : added) {
                Spec sp = want.get(n);
                try {
                    started.put(n, SiemExporter.start(List.of(sp.dest()), sp.options()));
                } catch (RuntimeException e) {
                    log.accept(where + "syslog destination " + n + " cannot be started: " + e.getMessage());
                }
            }
            // 2. swap: removed ones out, changed ones to a hand-off queue, new ones in
            long stamp = lock.writeLock();
            try {
                for (Slot s : removed) {
                    slots.remove(s.name);
                }
                for (Slot s : changed) {
                    s.handoff = new Handoff(base.queueCapacity());
                    s.retiring = s.exporter;
                    s.exporter = null;
                }
                for (Map.Entry<String, SiemExporter> e : started.entrySet()) {
                    slots.put(e.getKey(), new Slot(e.getKey(), want.get(e.getKey()), e.getValue()));
                }
                reorder(want);
                rebuildLocked();
            } finally {
                lock.unlockWrite(stamp);
            }
            if (!initial) {
                for (String n : started.keySet()) {
                    log.accept(where + "syslog destination added: " + describe(want.get(n)));
                }
            }
            // 3. close the removed and the changed ones' old exporters, all at once
            long deadline = System.nanoTime() + retire.toNanos();
            for (Slot s : removed) {
                s.exporter.beginClose(deadline);
            }
            for (Slot s : changed) {
                s.retiring.beginClose(deadline);
            }
            for (Slot s : removed) {
                DestinationReport r = merge(s.retired, s.exporter.awaitClose(deadline).destinations().get(0));
                log.accept(where + "syslog destination removed: " + s.name + " " + url(s.spec.dest()) + " (sent "
                        + r.sent() + ", dropped " + r.dropped() + (r.spooled() > 0 ? "; " + r.spooled()
                        + " messages stay in " + s.spec.options().spoolDir().resolve(s.name) : "") + ")");
            }
            // 4. start the changed ones again and let them take over their hand-off queues
            for (Slot s : changed) {
                DestinationReport old = s.retiring.awaitClose(deadline).destinations().get(0);
                Spec was = s.spec;
                Spec now = want.get(s.name);
                SiemExporter x = null;
                try {
                    x = SiemExporter.start(List.of(now.dest()), now.options());
                } catch (RuntimeException e) {
                    log.accept(where + "syslog destination " + s.name + " cannot be started: " + e.getMessage());
                }
                long handed;
                long lost;
                stamp = lock.writeLock();
                try {
                    Handoff h = s.handoff;
                    handed = h.queue.size();
                    lost = h.dropped.get();
                    if (x != null) {
                        for (WardenEvent e; (e = h.queue.poll()) != null; ) {
                            x.accept(e);
                        }
                    } else {
                        lost += handed;
                        slots.remove(s.name);
                    }
                    s.retired = merge(s.retired, withDropped(old, lost));
                    s.spec = now;
                    s.exporter = x;
                    s.retiring = null;
                    s.handoff = null;
                    rebuildLocked();
                } finally {
                    lock.unlockWrite(stamp);
                }
                if (x != null) {
                    log.accept(where + "syslog destination changed: " + s.name + ": " + diff(was, now)
                            + " (restarted; " + handed + " events held meanwhile"
                            + (lost > 0 ? ", " + lost + " dropped" : "")
                            + (old.spooled() > 0 && !Objects.equals(spoolOf(was), spoolOf(now))
                            ? "; " + old.spooled() + " messages stay in " + spoolOf(was) : "") + ")");
                }
            }
        }
    }

    /** Keeps the slots in file order. */
    private void reorder(Map<String, Spec> want) {
        Map<String, Slot> copy = new LinkedHashMap<>(slots);
        slots.clear();
        for (String n : want.keySet()) {
            Slot s = copy.remove(n);
            if (s != null) {
                slots.put(n, s);
            }
        }
        slots.putAll(copy);
    }

    private void rebuild() {
        synchronized (applyLock) {
            long stamp = lock.writeLock();
            try {
                rebuildLocked();
            } finally {
                lock.unlockWrite(stamp);
            }
        }
    }

    /** Under the write lock: the sinks events go to. */
    private void rebuildLocked() {
        List<EventSink> s = new ArrayList<>();
        if (fixed != null) {
            s.add(fixed);
        }
        for (Slot x : slots.values()) {
            s.add(x.exporter != null ? x.exporter : x.handoff);
        }
        sinks = s.toArray(new EventSink[0]);
        slotList = List.copyOf(slots.values());
    }

    // ------------------------------------------------------------------------------------------- words

    private static DestinationReport merge(DestinationReport earlier, DestinationReport now) {
        if (earlier == null) {
            return now;
        }
        return new DestinationReport(now.name(), now.uri(), earlier.sent() + now.sent(),
                earlier.resent() + now.resent(), now.spooled(), earlier.dropped() + now.dropped(),
                earlier.reconnects() + now.reconnects(), earlier.errors() + now.errors(),
                now.lastError() != null ? now.lastError() : earlier.lastError());
    }

    private static DestinationReport withDropped(DestinationReport r, long more) {
        return new DestinationReport(r.name(), r.uri(), r.sent(), r.resent(), 0, r.dropped() + more,
                r.reconnects(), r.errors(), r.lastError());
    }

    private static String url(SyslogDestination d) {
        int q = d.uri().indexOf('?');
        return q < 0 ? d.uri() : d.uri().substring(0, q);
    }

    private static Path spoolOf(Spec s) {
        return s.dest().transport() == SyslogDestination.Transport.UDP || s.options().spoolDir() == null ? null
                : s.options().spoolDir().resolve(s.dest().name());
    }

    private static String types(SyslogDestination d) {
        return d.eventTypes().isEmpty() ? "all" : String.join(",", new java.util.TreeSet<>(d.eventTypes()));
    }

    private static final String[] SEVERITY = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private static String describe(Spec s) {
        SyslogDestination d = s.dest();
        Path spool = spoolOf(s);
        return d.name() + " " + url(d) + " (format " + d.format().name().toLowerCase(java.util.Locale.ROOT)
                + ", event_types " + types(d) + ", min_severity " + SEVERITY[d.minSeverity()]
                + (d.caFile() != null ? ", ca " + d.caFile() : "")
                + (d.clientCert() != null ? ", cert " + d.clientCert() : "")
                + (spool != null ? ", spool " + spool : "") + ")";
    }

    private static String diff(Spec a, Spec b) {
        List<String> d = new ArrayList<>();
        SyslogDestination x = a.dest();
        SyslogDestination y = b.dest();
        change(d, "url", url(x), url(y));
        change(d, "format", x.format().name().toLowerCase(java.util.Locale.ROOT),
                y.format().name().toLowerCase(java.util.Locale.ROOT));
        change(d, "event_types", types(x), types(y));
        change(d, "min_severity", SEVERITY[x.minSeverity()], SEVERITY[y.minSeverity()]);
        change(d, "ca", x.caFile(), y.caFile());
        change(d, "cert", x.clientCert(), y.clientCert());
        change(d, "key", x.clientKey(), y.clientKey());
        change(d, "spool", spoolOf(a), spoolOf(b));
        change(d, "spool_cap_mb", a.options().spoolCapBytes() >> 20, b.options().spoolCapBytes() >> 20);
        return d.isEmpty() ? "settings" : String.join(", ", d);
    }

    private static void change(List<String> out, String what, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(what + " " + (before == null ? "none" : before) + " -> " + (after == null ? "none" : after));
        }
    }
}
