package io.mcpwarden.runtime;

import io.mcpwarden.pipeline.InspectionService;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a command may use: the inspection service, the distribution's home, the standard streams, the
 * framework facts for {@code version}, the cooperative stop flag raised on SIGINT/SIGTERM, and the reload
 * actions run on SIGHUP.
 */
final class CliEnv {
    private final InspectionService inspection;
    private final Path home;
    private final PrintStream out;
    private final PrintStream err;
    private final OutputStream eventOut;
    private final boolean console;
    private final FrameworkFacts facts;
    private final List<Runnable> stopActions = new CopyOnWriteArrayList<>();
    private final List<Runnable> reloadActions = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    private volatile io.mcpwarden.policy.PolicyService policyService;
    private volatile java.util.function.Supplier<List<String>> bundles = List::of;

    /** Facts about the running framework shown by {@code version}. */
    record FrameworkFacts(String productVersion, String frameworkName, String frameworkVersion, int bundles,
                          int activeBundles) {
        static final FrameworkFacts UNKNOWN = new FrameworkFacts("unknown", "none", "-", 0, 0);
    }

    /**
     * @param inspection the pipeline (may be null for commands that do not inspect)
     * @param home       distribution directory
     * @param out        human-readable output
     * @param err        diagnostics
     * @param eventOut   raw standard output for events (never closed by the commands)
     * @param console    whether a person watches a terminal (progress lines are shown)
     * @param facts      framework facts
     */
    CliEnv(InspectionService inspection, Path home, PrintStream out, PrintStream err, OutputStream eventOut,
           boolean console, FrameworkFacts facts) {
        this.inspection = inspection;
        this.home = Objects.requireNonNull(home);
        this.out = out;
        this.err = err;
        this.eventOut = eventOut;
        this.console = console;
        this.facts = facts;
    }

    /** The process's standard streams. */
    static CliEnv standard(InspectionService inspection, Path home, FrameworkFacts facts) {
        return new CliEnv(inspection, home, System.out, System.err, new FileOutputStream(FileDescriptor.out),
                System.console() != null, facts);
    }

    InspectionService inspection() {
        if (inspection == null) {
            throw new IllegalStateException("no InspectionService available");
        }
        return inspection;
    }

    /** The policy engine when its bundle is running, else null. */
    io.mcpwarden.policy.PolicyService policyService() {
        return policyService;
    }

    /** The framework's bundles as "name version STATE" lines (empty outside a framework). */
    List<String> bundles() {
        return bundles.get();
    }

    CliEnv withBundles(java.util.function.Supplier<List<String>> supplier) {
        this.bundles = supplier;
        return this;
    }

    CliEnv withPolicyService(io.mcpwarden.policy.PolicyService service) {
        this.policyService = service;
        return this;
    }

    Path home() {
        return home;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Standard output for events; closing the returned stream only flushes it. */
    OutputStream eventOut() {
        return new FilterOutputStream(eventOut) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    boolean console() {
        return console;
    }

    FrameworkFacts facts() {
        return facts;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Raises the stop flag and runs every registered stop action (e.g. stopping a live capture). */
    void requestStop() {
        stopRequested = true;
        for (Runnable r : stopActions) {
            try {
                r.run();
            } catch (RuntimeException e) {
                err.println("warning: stop action failed: " + e);
            }
        }
    }

    /** Registers an action run on {@link #requestStop()} (at once if the stop was already requested). */
    Runnable onStop(Runnable action) {
        stopActions.add(action);
        if (stopRequested) {
            action.run();
        }
        return () -> stopActions.remove(action);
    }

    /**
     * Runs every registered reload action (SIGHUP, {@code systemctl reload}), one after the other on the calling
     * thread. Returns false when no command registered one: the command has nothing to reload.
     */
    boolean requestReload() {
        boolean any = false;
        for (Runnable r : reloadActions) {
            any = true;
            try {
                r.run();
            } catch (RuntimeException e) {
                err.println("warning: reload failed: " + e);
            }
        }
        return any;
    }

    /** Registers an action run on {@link #requestReload()}; the returned action unregisters it. */
    Runnable onReload(Runnable action) {
        reloadActions.add(action);
        return () -> reloadActions.remove(action);
    }
}
