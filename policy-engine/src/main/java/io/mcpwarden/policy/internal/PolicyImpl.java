package io.mcpwarden.policy.internal;

import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.Registry;
import io.mcpwarden.policy.RegistryCheck;
import io.mcpwarden.policy.RuleError;
import io.mcpwarden.policy.ReloadReport;
import io.mcpwarden.policy.ReloadReport.Outcome;
import io.mcpwarden.policy.RuleSetInfo;
import io.mcpwarden.policy.facts.Subject;
import io.mcpwarden.policy.facts.Verdict;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A policy: the rule set and registry in force behind one atomic reference, a decision cache that lives and dies
 * with them, and a watcher thread that reloads changed files once they are stable across two scans.
 */
public final class PolicyImpl implements Policy {
    static final System.Logger LOG = System.getLogger("io.mcpwarden.policy");
    static final long DEFAULT_SCAN_MILLIS = Long.getLong("warden.policy.scanMillis", 500L);
    /** Entries per decision table (fingerprint tables: about 70 bytes an entry at most, 18 MB when full). */
    static final int CACHE_MAX = 1 << 18;
    private static final int RULES_EVENTS_MAX = 1_000;
    private static final Comparator<Verdict> ORDER = Comparator
            .comparingInt((Verdict v) -> switch (v.action()) {
                case "block" -> 0;
                case "alert" -> 1;
                default -> 2;
            })
            .thenComparing(Verdict::rule);

    /**
     * What judges an event: swapped as a whole. {@code cache} holds the decision per {@link KnownTable#key(Subject)
     * subject}; {@code known} maps the {@link KnownTable#key(WardenEvent) key} of a DNS, TLS or HTTP event to its
     * subject's decision, so that a repeated name is judged without computing its subject again.
     */
    private record State(RuleSet rules, RegistryImpl registry, KnownTable cache, KnownTable known) {
        State(RuleSet rules, RegistryImpl registry) {
            this(rules, registry, new KnownTable(CACHE_MAX), new KnownTable(CACHE_MAX));
        }
    }

    /**
     * The decision for an event key: the parts of its subject a verdict shows and its verdicts. {@link KnownTable}
     * keeps beside the key how long it is valid: while the subject's cache entry is fresh and the first-sight
     * memory is in the epoch the subject was computed in (so that the subject is still not a first sight).
     */
    record Known(String endpoint, String eventType, List<Verdict> verdicts) {
    }

    private final PolicyConfig config;
    private final long scanMillis;
    private final AtomicReference<State> state = new AtomicReference<>();
    private final Subjects subjects = new Subjects();
    private final ArrayDeque<RulesEvent> rulesEvents = new ArrayDeque<>();
    /** Whether rulesEvents holds any: read after every judged event, so the common case takes no lock. */
    private volatile boolean rulesEventsPending;
    private final Map<String, AtomicLong> ruleFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> limitHits = new ConcurrentHashMap<>();
    private volatile List<RuleError> lastErrors = List.of();
    private volatile List<RuleError> lastRegistryErrors = List.of();
    private volatile Thread watcher;
    private volatile boolean closed;

    // scan state: guarded by scanLock (the watcher thread and reload())
    private final Object scanLock = new Object();
    private String rulesPending;
    private String rulesAttempted;
    private String registryPending;
    private String registryAttempted;

    PolicyImpl(PolicyConfig config, long scanMillis) {
        this.config = config;
        this.scanMillis = scanMillis;
        if (!Files.isDirectory(config.rulesDir())) {
            throw new IllegalArgumentException("rules directory not found: " + config.rulesDir());
        }
        state.set(new State(RuleSet.empty(), RegistryImpl.EMPTY));
        scanRegistry(true);
        scanRules(true);
        if (config.watch()) {
            Thread t = new Thread(this::watch, "warden-policy-watch");
            t.setDaemon(true);
            watcher = t;
            t.start();
        }
    }

    // ---- judging --------------------------------------------------------------------------------------------

    @Override
    public List<VerdictEvent> judge(WardenEvent event) {
        try {
            return judgeOrThrow(event);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            count(ruleFailures, "(engine)", e, "judging an event failed");
            return List.of();
        }
    }

    /**
     * The per-event path, kept small: most events are not judged (flows, DNS answers) or repeat a name whose
     * decision is known; only the others go on to {@link #judgeSubject}.
     */
    private List<VerdictEvent> judgeOrThrow(WardenEvent event) {
        if (!Subjects.judged(event)) {
            return List.of();
        }
        State st = state.get();
        int epoch = subjects.firstSightEpoch();
        Fingerprint key = config.cacheTtl().isZero() ? null : KnownTable.key(event);
        if (key != null) {
            Known k = st.known().get(key, epoch, System.nanoTime());
            if (k == KnownTable.NO_VERDICTS) {
                return List.of();
            }
            if (k != null) {
                return stamp(event, k.endpoint(), k.eventType(), st.rules().hash, k.verdicts());
            }
        }
        return judgeSubject(event, st, key, epoch);
    }

    /**
     * Computes the subject, takes its decision from the cache or from the rules, and remembers it for the event's
     * key (when it has one). {@code epoch} is the first-sight epoch read before the subject was computed.
     */
    private List<VerdictEvent> judgeSubject(WardenEvent event, State st, Fingerprint key, int epoch) {
        Subject subject = subjects.of(event, st.registry());
        if (subject == null) {
            return List.of();
        }
        // a first sighting is cached only where no rule can tell it from a later sighting
        boolean cacheable = !config.cacheTtl().isZero()
                && (!subject.firstSight() || !st.rules().firstSightMatters(subject.eventType()));
        long now = System.nanoTime();
        Fingerprint subjectKey = cacheable ? KnownTable.key(subject) : null;
        Known decision = subjectKey == null ? null : st.cache().get(subjectKey, 0, now);
        long expires;
        if (decision != null) {
            expires = st.cache().expiresNanos(subjectKey, now); // NO_VERDICTS has none to show
        } else {
            RuleSet.Firing firing = st.rules().fire(event, subject, config.maxFiringsPerEvent(),
                    (rule, t) -> count(ruleFailures, rule, t, "rule threw"));
            if (firing.limitHit()) {
                count(limitHits, String.valueOf(firing.lastRule()), null,
                        "rule firing limit " + config.maxFiringsPerEvent() + " reached (looping rule?), last rule");
            }
            List<Verdict> verdicts = new ArrayList<>(firing.verdicts());
            verdicts.sort(ORDER);
            if (!cacheable || firing.limitHit()) {
                return stamp(event, subject.endpoint(), subject.eventType(), st.rules().hash, verdicts);
            }
            decision = new Known(subject.endpoint(), subject.eventType(), List.copyOf(verdicts));
            expires = now + config.cacheTtl().toNanos();
            st.cache().put(subjectKey, decision, expires, 0);
        }
        if (key != null) {
            st.known().put(key, decision, expires, epoch);
        }
        return stamp(event, subject.endpoint(), subject.eventType(), st.rules().hash, decision.verdicts());
    }

    private static List<VerdictEvent> stamp(WardenEvent e, String endpoint, String eventType, String hash,
                                            List<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return List.of();
        }
        FlowRef flow = e.flow();
        List<VerdictEvent> out = new ArrayList<>(verdicts.size());
        for (Verdict v : verdicts) {
            out.add(new VerdictEvent(e.tsMicros(), flow, v.action(), v.rule(), v.severity(), v.reason(), hash,
                    endpoint, eventType));
        }
        return out;
    }

    private void count(Map<String, AtomicLong> counts, String rule, Throwable t, String what) {
        long n = counts.computeIfAbsent(rule, k -> new AtomicLong()).incrementAndGet();
        if (n == 1 || Long.bitCount(n) == 1 && n >= 1024) {
            LOG.log(Level.WARNING, what + " '" + rule + "' (" + n + " time(s) so far)"
                    + (t == null ? "" : ": " + t), (Throwable) null);
        }
    }

    /** The rule set in force (for tests). */
    RuleSet rulesInForce() {
        return state.get().rules();
    }

    /** How often each rule threw (rule name → count). */
    public Map<String, Long> ruleFailures() {
        Map<String, Long> m = new TreeMap<>();
        ruleFailures.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** How often the firing limit was reached, by the last rule fired. */
    public Map<String, Long> firingLimitHits() {
        Map<String, Long> m = new TreeMap<>();
        limitHits.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    // ---- info -----------------------------------------------------------------------------------------------

    @Override
    public RuleSetInfo info() {
        RuleSet r = state.get().rules();
        return new RuleSetInfo(r.hash, r.rules, r.loadedAt, lastErrors);
    }

    @Override
    public List<RulesEvent> drainRulesEvents() {
        if (!rulesEventsPending) {
            return List.of();
        }
        synchronized (rulesEvents) {
            rulesEventsPending = false;
            List<RulesEvent> out = new ArrayList<>(rulesEvents);
            rulesEvents.clear();
            return out;
        }
    }

    @Override
    public Registry registry() {
        return state.get().registry();
    }

    @Override
    public void close() {
        closed = true;
        Thread t = watcher;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void emit(RulesEvent e) {
        synchronized (rulesEvents) {
            if (rulesEvents.size() >= RULES_EVENTS_MAX) {
                rulesEvents.removeFirst();
            }
            rulesEvents.addLast(e);
            rulesEventsPending = true;
        }
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    // ---- loading --------------------------------------------------------------------------------------------

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(scanMillis);
            } catch (InterruptedException e) {
                return;
            }
            try {
                synchronized (scanLock) {
                    scanRegistry(false);
                    scanRules(false);
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.ERROR, "policy watcher: " + e, e);
            }
        }
    }

    @Override
    public ReloadReport reload() {
        synchronized (scanLock) {
            Outcome registry = scanRegistry(true);
            Outcome rules = scanRules(true);
            // files equal to an attempt that was rejected (perhaps by the watcher a moment ago) are still rejected
            if (rules == Outcome.UNCHANGED && !lastErrors.isEmpty()) {
                rules = Outcome.REJECTED;
            }
            if (registry == Outcome.UNCHANGED && !lastRegistryErrors.isEmpty()) {
                registry = Outcome.REJECTED;
            }
            List<RuleError> errors = new java.util.ArrayList<>();
            if (rules == Outcome.REJECTED) {
                errors.addAll(lastErrors);
            }
            if (registry == Outcome.REJECTED) {
                errors.addAll(lastRegistryErrors);
            }
            return new ReloadReport(rules, registry, info(), errors);
        }
    }

    /**
     * One scan of the rules directory. Without {@code force} a changed set is loaded once it is stable across two
     * scans; with it (start, reload) at once. Content equal to the last attempt is never compiled again.
     */
    private Outcome scanRules(boolean force) {
        SortedMap<String, byte[]> files;
        try {
            files = Sources.readRules(config.rulesDir());
        } catch (IOException | RuntimeException e) {
            if (force) {
                reject(List.of(new RuleError("", 0, 0, "cannot read " + config.rulesDir() + ": " + e)), null);
                return Outcome.REJECTED;
            }
            return Outcome.UNCHANGED;
        }
        String fingerprint = Hashes.ofFiles(files);
        if (fingerprint.equals(rulesAttempted)) {
            rulesPending = null;
            return Outcome.UNCHANGED;
        }
        if (!force && !fingerprint.equals(rulesPending)) {
            rulesPending = fingerprint;
            return Outcome.UNCHANGED;
        }
        rulesAttempted = fingerprint;
        rulesPending = null;
        long t0 = System.nanoTime();
        CompiledRules c = DrlCompiler.compile(files);
        if (!c.ok()) {
            reject(c.errors(), null);
            return Outcome.REJECTED;
        }
        RuleSet next = new RuleSet(c.kieBase(), c.hash(), c.rules(), Instant.now(), c.firstSightMentions());
        warm(next);
        swap(next, null);
        lastErrors = List.of();
        emit(new RulesEvent(nowMicros(), "loaded", next.hash, next.rules, null, 0, 0, null));
        LOG.log(Level.INFO, "rule set " + next.hash + " loaded: " + next.rules + " rules in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms; " + (next.silent != null
                ? "they read Subject fields " + next.silent.fields() + " only, so a subject whose values of these "
                        + "fired nothing once skips the engine"
                : "every subject enters the engine (" + next.notSilentBecause + ")"));
        return Outcome.LOADED;
    }

    /** One scan of the registry file; same stability rule. */
    private Outcome scanRegistry(boolean force) {
        Path file = config.registryFile();
        if (file == null) {
            return Outcome.NONE;
        }
        String name = file.getFileName().toString();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            content = null;
        } catch (IOException e) {
            if (force) {
                List<RuleError> errors = List.of(new RuleError(name, 0, 0, "cannot read " + file + ": " + e));
                lastRegistryErrors = errors;
                reject(errors, name);
                return Outcome.REJECTED;
            }
            return Outcome.UNCHANGED;
        }
        String fingerprint = content == null ? "missing" : Hashes.of(content);
        if (fingerprint.equals(registryAttempted)) {
            registryPending = null;
            return Outcome.UNCHANGED;
        }
        if (!force && !fingerprint.equals(registryPending)) {
            registryPending = fingerprint;
            return Outcome.UNCHANGED;
        }
        registryAttempted = fingerprint;
        registryPending = null;
        if (content == null) {
            List<RuleError> errors = List.of(new RuleError(name, 0, 0, "registry file not found: " + file));
            lastRegistryErrors = errors;
            reject(errors, name);
            return Outcome.REJECTED;
        }
        RegistryParser.Parsed p = RegistryParser.parse(name, content);
        RegistryCheck check = p.check();
        if (!check.ok()) {
            lastRegistryErrors = List.copyOf(check.errors());
            reject(check.errors(), name);
            return Outcome.REJECTED;
        }
        lastRegistryErrors = List.of();
        swap(null, p.registry());
        RuleSet r = state.get().rules();
        emit(new RulesEvent(nowMicros(), "loaded", r.hash, r.rules, name, 0, 0, null));
        LOG.log(Level.INFO, "registry " + name + " loaded: " + check.servers().size() + " servers, " + check.hash());
        return Outcome.LOADED;
    }

    private void reject(List<RuleError> errors, String registryFile) {
        RuleSet r = state.get().rules();
        if (registryFile == null) {
            lastErrors = List.copyOf(errors);
        }
        for (RuleError e : errors) {
            emit(new RulesEvent(nowMicros(), "rejected", r.hash, r.rules, e.file(), e.line(), e.column(),
                    e.message()));
            LOG.log(Level.WARNING, "rejected " + e + " (keeping rule set " + r.hash + ")");
        }
    }

    private void swap(RuleSet rules, RegistryImpl registry) {
        State old;
        State next;
        do {
            old = state.get();
            next = new State(rules == null ? old.rules() : rules, registry == null ? old.registry() : registry);
        } while (!state.compareAndSet(old, next));
    }

    /** Runs the new set once so that its first real event does not pay for lazy building. */
    private static void warm(RuleSet rules) {
        Subject s = new Subject("mcp", "warm.invalid", 443, "/mcp", "warm.invalid:443/mcp", false, "", true, "",
                false, true, true, "", false, "", "");
        try {
            rules.fire(null, s, 100, (rule, t) -> { });
            rules.fire(null, s, 100, (rule, t) -> { });
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "warm-up: " + e);
        }
    }

    /** Compiles without swapping (for {@code check}). */
    static CompiledRules compileDir(Path dir) throws IOException {
        return DrlCompiler.compile(Sources.readRules(dir));
    }
}
