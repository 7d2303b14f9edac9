package io.mcpwarden.policy.internal;

import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.facts.Subject;
import io.mcpwarden.policy.facts.Verdict;
import org.kie.api.KieBase;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A compiled, immutable rule set with a small pool of reusable sessions. The empty set (in force until a set
 * loads) has no KieBase: it fires nothing, so the rule engine is not started for it.
 */
final class RuleSet {
    private static final int POOL_MAX = 16;

    final KieBase kieBase;
    final String hash;
    final int rules;
    final Instant loadedAt;
    /** The projections on which the set fires nothing, when it is of the shape for them; else null. */
    final SilentProjections silent;
    /** Why {@link #silent} is null for a set with rules (for the log). */
    final String notSilentBecause;
    private final ConcurrentLinkedQueue<Pooled> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();
    /** Times the engine was entered (for tests and benchmarks). */
    private final AtomicLong entries = new AtomicLong();

    /** {@code firstSightMentions}: see {@link CompiledRules} (-1: not counted). */
    RuleSet(KieBase kieBase, String hash, int rules, Instant loadedAt, int firstSightMentions) {
        this.kieBase = kieBase;
        this.hash = hash;
        this.rules = rules;
        this.loadedAt = loadedAt;
        String[] why = new String[1];
        this.silent = kieBase == null ? null : SilentProjections.analyse(kieBase, firstSightMentions, why);
        this.notSilentBecause = why[0];
    }

    /** The set of no rules, with the hash of no files. */
    static RuleSet empty() {
        return new RuleSet(null, Hashes.ofFiles(new TreeMap<>()), 0, Instant.now(), -1);
    }

    /** The verdicts of one firing, how many rules fired (a consequence that threw counts) and what went wrong. */
    record Firing(List<Verdict> verdicts, int fired, boolean limitHit, String lastRule) {
    }

    private static final Firing NOTHING = new Firing(List.of(), 0, false, null);

    long entries() {
        return entries.get();
    }

    /**
     * Whether a subject of this event type can match differently with {@code firstSight} true and false, or a
     * rule can see the difference in any other way: true unless the analysis of {@link SilentProjections} shows
     * that only patterns of other event types read it (then a first sighting may be cached like any decision).
     */
    boolean firstSightMatters(String eventType) {
        return kieBase != null && (silent == null || silent.firstSightMatters(eventType));
    }

    /** A session plus the listener that remembers the last rule fired. */
    private static final class Pooled extends DefaultAgendaEventListener {
        final KieSession session;
        String lastRule;

        Pooled(KieSession session) {
            this.session = session;
            session.addEventListener(this);
        }

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            lastRule = event.getMatch().getRule().getName();
        }
    }

    /**
     * Inserts the event and its subject, fires at most {@code maxFirings} rules and collects the verdicts. A
     * consequence that throws is reported to {@code onRuleFailure} and counts as a firing; the others go on. A
     * subject whose projection is known to fire nothing does not enter the engine (see {@link SilentProjections}).
     */
    Firing fire(WardenEvent event, Subject subject, int maxFirings, BiConsumer<String, Throwable> onRuleFailure) {
        if (kieBase == null) {
            return NOTHING;
        }
        List<Object> projection = silent == null ? null : silent.projection(subject);
        if (projection != null && silent.isSilent(projection)) {
            return NOTHING;
        }
        Firing f = enter(event, subject, maxFirings, onRuleFailure);
        if (projection != null && f.fired() == 0) {
            silent.markSilent(projection);
        }
        return f;
    }

    private Firing enter(WardenEvent event, Subject subject, int maxFirings,
                         BiConsumer<String, Throwable> onRuleFailure) {
        entries.incrementAndGet();
        // Drools looks components up with ServiceLoader on the context class loader (and caches the answer):
        // inside the framework that must be the bundle's loader, whichever thread calls
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        ClassLoader mine = DrlCompiler.loader();
        if (old == mine) {
            return doFire(event, subject, maxFirings, onRuleFailure);
        }
        t.setContextClassLoader(mine);
        try {
            return doFire(event, subject, maxFirings, onRuleFailure);
        } finally {
            t.setContextClassLoader(old);
        }
    }

    private Firing doFire(WardenEvent event, Subject subject, int maxFirings,
                          BiConsumer<String, Throwable> onRuleFailure) {
        Pooled p = pool.poll();
        if (p != null) {
            pooled.decrementAndGet();
        } else {
            p = new Pooled(kieBase.newKieSession());
        }
        boolean reusable = true;
        try {
            KieSession ks = p.session;
            p.lastRule = null;
            if (event != null && silent == null) { // with projections no pattern reads anything but Subject
                ks.insert(event);
            }
            ks.insert(subject);
            int budget = maxFirings;
            boolean limitHit = false;
            while (true) {
                try {
                    int n = ks.fireAllRules(budget);
                    budget -= n;
                    limitHit = budget <= 0;
                    break;
                } catch (ConsequenceException e) {
                    reusable = false;
                    String rule = e.getMatch() == null ? "?" : e.getMatch().getRule().getName();
                    onRuleFailure.accept(rule, e.getCause() == null ? e : e.getCause());
                    if (--budget <= 0) {
                        limitHit = true;
                        break;
                    }
                }
            }
            List<Verdict> verdicts = new ArrayList<>(2);
            for (Object o : ks.getObjects(o -> o instanceof Verdict)) {
                verdicts.add((Verdict) o);
            }
            if (limitHit) {
                reusable = false;
            } else {
                for (FactHandle h : new ArrayList<FactHandle>(ks.getFactHandles())) {
                    ks.delete(h);
                }
            }
            return new Firing(verdicts, maxFirings - budget, limitHit, p.lastRule);
        } catch (RuntimeException e) {
            reusable = false;
            throw e;
        } finally {
            if (reusable && pooled.incrementAndGet() <= POOL_MAX) {
                pool.offer(p);
            } else {
                if (reusable) {
                    pooled.decrementAndGet();
                }
                try {
                    p.session.dispose();
                } catch (RuntimeException ignored) {
                    // a broken session is dropped either way
                }
            }
        }
    }
}
