package io.mcpwarden.runtime;

import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.Policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Passes every event on, followed by the verdicts the policy gives it and any rule-set change
 * (loaded / rejected) since the last event; rule-set changes still pending are written on flush and close (a
 * reload on a quiet link is not lost). Without a policy it only passes events on.
 *
 * <p>The policy may still be opening (compiling its rules) when the first events arrive. Those events wait here,
 * in arrival order, and are passed on and judged as soon as the policy is ready, so the output is exactly what it
 * would have been had the policy been ready from the start: no event is judged by a half-built rule set and none is
 * lost. At most {@link #MAX_WAITING} events wait; the next one waits for the policy instead (back-pressure on the
 * pipeline). A policy that failed to open judges nothing: the events are passed on without verdicts, and the
 * command that opened it reports the failure.
 *
 * <p>Called from one thread at a time, as every {@link EventSink}.
 */
final class JudgingSink implements EventSink {
    /** Events held while the policy opens (about 100 MB at most, a few seconds of a busy link). */
    static final int MAX_WAITING = 1 << 18;

    private final EventSink downstream;
    /** The policy being opened; null for none. */
    private final CompletableFuture<Policy> opening;
    private final int maxWaiting;
    /** The policy once {@link #ready}; null when there is none or it failed to open. */
    private Policy policy;
    private boolean ready;
    private List<WardenEvent> waiting = new ArrayList<>();

    /** With a policy that is open already (or none). */
    JudgingSink(EventSink downstream, Policy policy) {
        this(downstream, policy == null ? null : CompletableFuture.completedFuture(policy));
    }

    /** With a policy that may still be opening (null: none). */
    JudgingSink(EventSink downstream, CompletableFuture<Policy> opening) {
        this(downstream, opening, MAX_WAITING);
    }

    /** As above, holding at most {@code maxWaiting} events while the policy opens. */
    JudgingSink(EventSink downstream, CompletableFuture<Policy> opening, int maxWaiting) {
        this.downstream = downstream;
        this.opening = opening;
        this.maxWaiting = maxWaiting;
        if (opening == null || opening.isDone()) {
            becomeReady();
        }
    }

    @Override
    public void accept(WardenEvent event) {
        if (!ready) {
            if (!opening.isDone() && waiting.size() < maxWaiting) {
                waiting.add(event);
                return;
            }
            becomeReady();
        }
        pass(event);
    }

    private void pass(WardenEvent event) {
        downstream.accept(event);
        if (policy == null) {
            return;
        }
        for (VerdictEvent v : policy.judge(event)) {
            downstream.accept(v);
        }
        drainRules();
    }

    /** Waits for the policy, then passes on its rule-set events and every waiting event, in order. */
    private void becomeReady() {
        policy = await(opening);
        ready = true;
        drainRules();
        List<WardenEvent> w = waiting;
        waiting = null;
        for (WardenEvent e : w) {
            pass(e);
        }
    }

    private static Policy await(CompletableFuture<Policy> opening) {
        if (opening == null) {
            return null;
        }
        try {
            return opening.join();
        } catch (CompletionException | CancellationException e) {
            return null;
        }
    }

    private void drainRules() {
        if (policy != null) {
            for (RulesEvent r : policy.drainRulesEvents()) {
                downstream.accept(r);
            }
        }
    }

    /** The end of a source: waits for the policy if it is still opening, then writes everything out. */
    @Override
    public void flush() {
        if (!ready) {
            becomeReady();
        }
        drainRules();
        downstream.flush();
    }

    /** Once a second: writes out what can go now; never waits for a policy that is still opening. */
    @Override
    public void tick() {
        if (!ready && opening.isDone()) {
            becomeReady(); // the policy finished opening: release the waiting events now
        }
        if (ready) {
            drainRules();
        }
        downstream.tick();
    }

    @Override
    public void close() {
        if (!ready) {
            becomeReady();
        }
        drainRules();
        downstream.close();
    }
}
