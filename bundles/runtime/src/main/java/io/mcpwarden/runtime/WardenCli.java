package io.mcpwarden.runtime;

import io.mcpwarden.pipeline.InspectionService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs the command given on the launcher's command line, then stops the framework.
 *
 * <p>The launcher passes the arguments as framework properties: {@value #ARGC} (count) and {@value #ARGS}
 * (the arguments joined by NUL, which cannot occur in a command-line argument). When the command ends its
 * exit code is stored in the system property {@value #EXIT} and the system bundle is stopped; the launcher
 * waits for that and exits with the code. On SIGINT/SIGTERM the launcher stops the framework: this component
 * is deactivated before the services it uses go away, raises the stop flag and waits (bounded) until the
 * command has written every event.
 *
 * <p>The component registers itself with the property {@code warden.cli=true} so that the launcher can tell
 * that the runtime came up, and a {@link BooleanSupplier} with {@value #SIGNAL_PROPERTY}{@code =HUP} that the
 * launcher calls on SIGHUP: it runs the reload actions of the running command and answers whether there were
 * any (when not, the launcher treats SIGHUP as the JVM does by default, as a request to stop).
 */
@Component(immediate = true, service = WardenCli.class, property = "warden.cli=true")
public final class WardenCli {
    /** Held so the level set on it is not lost with a collected logger. */
    private static final java.util.logging.Logger PRODUCT_LOG = java.util.logging.Logger.getLogger("io.mcpwarden");
    static final String ARGC = "warden.argc";
    static final String ARGS = "warden.args";
    static final String HOME = "warden.home";
    static final String SHELL = "warden.shell";
    static final String VERSION = "warden.version";
    static final String EXIT = "warden.exit";
    /** Service property of the SIGHUP handler the launcher looks up. */
    static final String SIGNAL_PROPERTY = "warden.signal";
    /** How long deactivation waits for the running command to flush its events. */
    static final long STOP_WAIT_MILLIS = 9_000;

    @Reference
    private InspectionService inspection;

    /** Optional: without the policy bundle the appliance still inspects, and says that no rules run. */
    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    private volatile io.mcpwarden.policy.PolicyService policy;

    private CliEnv env;
    private Thread thread;
    private ServiceRegistration<BooleanSupplier> hangup;
    private volatile boolean deactivating;

    @Activate
    void activate(BundleContext ctx) {
        String[] args = decodeArgs(ctx.getProperty(ARGC), ctx.getProperty(ARGS));
        if (args.length > 0 && ("rules".equals(args[0]) || "registry".equals(args[0]))) {
            // the rule authors' tools print every error themselves, with file, line and column
            PRODUCT_LOG.setLevel(java.util.logging.Level.SEVERE);
        } else if (args.length == 0 || !"run".equals(args[0])) {
            // one-shot commands print their own summary; the daemon keeps the components' INFO log lines
            PRODUCT_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        boolean shell = Boolean.parseBoolean(ctx.getProperty(SHELL));
        String home = ctx.getProperty(HOME);
        env = CliEnv.standard(inspection, Path.of(home == null ? "." : home), facts(ctx)).withPolicyService(policy)
                .withBundles(() -> Arrays.stream(ctx.getBundles()).map(WardenCli::describe).toList());
        CliEnv cli = env;
        hangup = ctx.registerService(BooleanSupplier.class, cli::requestReload,
                new Hashtable<>(Map.of(SIGNAL_PROPERTY, "HUP")));
        if (shell && args.length == 0) {
            return;
        }
        thread = new Thread(() -> {
            int code;
            try {
                code = WardenCommand.execute(env, args);
            } catch (Throwable t) {
                if (deactivating) {
                    // SIGTERM while starting: the bundles it needs are going away under it; not a fault
                    env.err().println("warden: stopped while starting (" + t.getClass().getSimpleName() + ")");
                    code = ExitCodes.INTERRUPTED;
                } else {
                    env.err().println("error: internal: " + t);
                    t.printStackTrace(env.err());
                    code = ExitCodes.INTERNAL;
                }
            }
            System.out.flush();
            System.err.flush();
            System.setProperty(EXIT, Integer.toString(code));
            if (!shell && !deactivating) {
                try {
                    ctx.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
                } catch (BundleException | IllegalStateException e) {
                    env.err().println("warning: cannot stop the framework: " + e.getMessage());
                }
            }
        }, "warden-cli");
        thread.start();
    }

    @Deactivate
    void deactivate() {
        deactivating = true;
        try {
            hangup.unregister();
        } catch (IllegalStateException | NullPointerException ignored) {
            // already gone with the bundle
        }
        Thread t = thread;
        if (t == null || !t.isAlive()) {
            return;
        }
        env.requestStop();
        try {
            t.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            env.err().println("warning: the command did not finish within " + STOP_WAIT_MILLIS / 1000
                    + " s of the stop request; events may be lost");
        }
    }

    /** Decodes the NUL-joined argument list; {@code argc} disambiguates an empty list from one empty argument. */
    static String[] decodeArgs(String argc, String joined) {
        int n = argc == null ? -1 : Integer.parseInt(argc);
        if (n == 0 || joined == null) {
            return new String[0];
        }
        String[] a = joined.split("\0", -1);
        return n > 0 && a.length != n ? Arrays.copyOf(a, n) : a;
    }

    static String describe(Bundle b) {
        String state = switch (b.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
        return b.getSymbolicName() + " " + b.getVersion() + " " + state;
    }

    private static CliEnv.FrameworkFacts facts(BundleContext ctx) {
        Bundle system = ctx.getBundle(Constants.SYSTEM_BUNDLE_ID);
        Bundle[] all = ctx.getBundles();
        int active = (int) Arrays.stream(all).filter(b -> b.getState() == Bundle.ACTIVE).count();
        String version = ctx.getProperty(VERSION);
        if (version == null) {
            version = ctx.getBundle().getVersion().toString();
        }
        String fw = system.getSymbolicName().contains("felix") ? "Felix framework" : system.getSymbolicName();
        return new CliEnv.FrameworkFacts(version, fw,
                system.getVersion().toString(), all.length, active);
    }
}
