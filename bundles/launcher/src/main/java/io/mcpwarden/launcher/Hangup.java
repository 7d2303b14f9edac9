package io.mcpwarden.launcher;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * SIGHUP for the running command: the runtime's command-line component registers a {@link BooleanSupplier} with
 * {@code warden.signal=HUP} that runs the command's reload actions ({@code warden run} reloads rules, registry
 * and configuration) and answers whether there were any. A command with nothing to reload keeps the JVM's
 * default meaning of SIGHUP (stop, like SIGTERM), so a one-shot command whose terminal goes away still ends
 * cleanly. A SIGHUP ignored when the process started (nohup) stays ignored.
 */
final class Hangup {
    static final String FILTER = "(warden.signal=HUP)";

    private Hangup() {
    }

    /**
     * Installs the handler; returns a line saying why it could not be, or null. {@code reloadingCommand}: the
     * command reloads on SIGHUP once it runs, so one that arrives before it registered (while it starts) is
     * ignored with a line saying so, rather than stopping it.
     */
    static String install(Supplier<BundleContext> context, boolean reloadingCommand) {
        Signal hup = new Signal("HUP");
        SignalHandler[] previous = new SignalHandler[1];
        try {
            previous[0] = Signal.handle(hup, sig -> {
                if (!reload(context.get())) {
                    if (reloadingCommand) {
                        System.err.println("warden: SIGHUP while starting: ignored (the rules, registry and "
                                + "configuration are being read now)");
                    } else {
                        stop(previous[0], sig);
                    }
                }
            });
        } catch (IllegalArgumentException e) {
            return "SIGHUP cannot be handled (" + e.getMessage() + "): reload with the watchers only";
        }
        if (previous[0] == SignalHandler.SIG_IGN) {
            Signal.handle(hup, SignalHandler.SIG_IGN);
        }
        return null;
    }

    /** Calls every registered reload service; false when there is none. */
    static boolean reload(BundleContext ctx) {
        if (ctx == null) {
            return false;
        }
        boolean any = false;
        try {
            for (ServiceReference<BooleanSupplier> ref : ctx.getServiceReferences(BooleanSupplier.class, FILTER)) {
                BooleanSupplier s = ctx.getService(ref);
                if (s == null) {
                    continue;
                }
                try {
                    any |= s.getAsBoolean();
                } catch (RuntimeException e) {
                    System.err.println("warning: reload failed: " + e);
                    any = true; // it was a reload; it failed and said so: do not stop the appliance for it
                } finally {
                    ctx.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            return false; // the framework is stopping
        }
        return any;
    }

    private static void stop(SignalHandler previous, Signal sig) {
        if (previous != null && previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
            previous.handle(sig); // the JVM's own: runs the shutdown hooks (the launcher's stops the framework)
        } else {
            System.exit(128 + sig.getNumber());
        }
    }
}
