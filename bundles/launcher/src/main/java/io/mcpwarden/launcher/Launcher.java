package io.mcpwarden.launcher;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceEvent;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts MCP Warden: an embedded Felix framework with every bundle of {@code <home>/bundles/} (plus
 * {@code <home>/bundles-shell/} with {@code --shell}), hands the command line to the runtime bundle's
 * command-line component, waits for the framework to stop and exits with the command's exit code.
 *
 * <p>Never hangs on a broken installation: a bundle that does not start, or a command-line component that
 * does not appear within {@link #startTimeoutMillis()}, ends the process with one line naming the bundle and
 * the missing package or service, and exit code {@value #EXIT_STARTUP}.
 */
public final class Launcher {
    /** The runtime could not start (sysexits EX_SOFTWARE). */
    static final int EXIT_STARTUP = 70;
    /** Exit code after SIGINT/SIGTERM when the command did not report one (128 + SIGINT). */
    static final int EXIT_SIGNAL = 130;
    static final String RUNTIME_BUNDLE = "warden-runtime";
    static final long SHUTDOWN_WAIT_MILLIS = 10_000;

    private final Path home;
    private final boolean shell;
    private final List<String> args;
    private final boolean timing = Boolean.getBoolean("warden.timing") || System.getenv("WARDEN_TIMING") != null;
    private final long t0 = System.nanoTime();
    private Felix framework;
    private Path cacheDir;
    private boolean deleteCache;
    private volatile boolean exiting;

    Launcher(Path home, boolean shell, List<String> args) {
        this.home = home;
        this.shell = shell;
        this.args = args;
    }

    public static void main(String[] argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        boolean shell = false;
        while (!args.isEmpty() && args.get(0).equals("--shell")) {
            shell = true;
            args.remove(0);
        }
        Path home;
        try {
            home = findHome();
        } catch (IOException | URISyntaxException e) {
            System.err.println("error: cannot find the MCP Warden home directory: " + e.getMessage());
            System.exit(EXIT_STARTUP);
            return;
        }
        int code = new Launcher(home, shell, args).run();
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** {@code -Dwarden.home}, else the directory above the one holding this jar ({@code <home>/lib/}). */
    static Path findHome() throws IOException, URISyntaxException {
        String prop = System.getProperty("warden.home");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path lib = Files.isDirectory(jar) ? jar : jar.getParent();
        Path h = lib.getParent();
        if (h == null || !Files.isDirectory(h.resolve("bundles"))) {
            throw new IOException("no bundles/ directory beside " + lib + " (set -Dwarden.home=DIR)");
        }
        return h.toAbsolutePath().normalize();
    }

    int run() {
        try {
            return start();
        } catch (BundleException | IOException | RuntimeException e) {
            System.err.println("error: the framework failed to start: " + e);
            stopQuietly();
            return EXIT_STARTUP;
        } finally {
            if (!exiting) {
                exiting = true;
                deleteCache();
            }
        }
    }

    private int start() throws BundleException, IOException {
        framework = new Felix(frameworkProperties());
        framework.init();
        Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "warden-shutdown"));
        // `run` reloads on SIGHUP; while it starts (and reads everything afresh anyway) a SIGHUP must not stop it
        String hup = Hangup.install(() -> framework.getBundleContext(), !args.isEmpty() && args.get(0).equals("run"));
        if (hup != null) {
            System.err.println("warning: " + hup);
        }
        BundleContext ctx = framework.getBundleContext();
        CountDownLatch cliUp = new CountDownLatch(1);
        try {
            ctx.addServiceListener(ev -> {
                if (ev.getType() == ServiceEvent.REGISTERED) {
                    cliUp.countDown();
                }
            }, "(warden.cli=true)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        framework.start();
        long tFramework = System.nanoTime();

        List<Path> jars = bundleJars();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            try {
                installed.add(ctx.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                return startupError("cannot install bundle " + home.relativize(jar) + ": " + e.getMessage());
            }
        }
        List<String> failures = new ArrayList<>();
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException | RuntimeException e) {
                failures.add(Diagnostics.explainStartFailure(b.getSymbolicName(), e.getMessage()));
            }
        }
        long tBundles = System.nanoTime();
        if (!failures.isEmpty()) {
            return startupError(failures.get(0) + (failures.size() > 1
                    ? " (" + (failures.size() - 1) + " more bundle(s) cannot start because of it or another cause)" : ""));
        }

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMillis());
        boolean up = false;
        try {
            while (!up && System.nanoTime() < deadline && framework.getState() == Bundle.ACTIVE) {
                up = cliUp.await(10, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timing) {
            System.err.printf("warden: runtime %s in %d ms (framework %d ms, %d bundles %d ms)%n",
                    up ? "ready" : "not ready", ms(System.nanoTime() - t0), ms(tFramework - t0), installed.size(),
                    ms(tBundles - tFramework));
        }
        if (!up && framework.getState() == Bundle.ACTIVE) {
            List<String> why = Diagnostics.unsatisfiedComponents(ctx);
            String cli = why.stream().filter(l -> l.contains("io.mcpwarden.runtime.WardenCli")).findFirst()
                    .orElse(null);
            String line = "the command-line component did not start within " + startTimeoutMillis() / 1000 + " s: "
                    + (cli != null ? cli : why.isEmpty() ? "bundle " + RUNTIME_BUNDLE + " declares no active component"
                    : String.join("; ", why));
            why.remove(cli);
            return startupError(line + (cli != null && !why.isEmpty() ? "; also: " + String.join("; ", why) : ""));
        }

        FrameworkEvent ev;
        try {
            ev = framework.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_SIGNAL;
        }
        if (ev.getType() == FrameworkEvent.ERROR) {
            System.err.println("error: the framework stopped with an error: " + ev.getThrowable());
        }
        return exitCode();
    }

    private int exitCode() {
        String exit = System.getProperty("warden.exit");
        if (exit != null) {
            return Integer.parseInt(exit);
        }
        if (exiting) {
            return EXIT_SIGNAL; // stopped by a signal before the command ended: the shutdown hook says the rest
        }
        if (shell) {
            return 0;
        }
        System.err.println("error: the framework stopped before the command finished");
        return EXIT_STARTUP;
    }

    /** The shutdown hook: on SIGINT/SIGTERM stop the framework so that the running command flushes its events. */
    private void onSignal() {
        if (exiting) {
            return;
        }
        exiting = true;
        Felix fw = framework;
        if (fw != null && (fw.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) != 0) {
            try {
                fw.stop();
                FrameworkEvent ev = fw.waitForStop(SHUTDOWN_WAIT_MILLIS);
                if (ev.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    System.err.println("warning: the framework did not stop within " + SHUTDOWN_WAIT_MILLIS / 1000
                            + " s; events may be lost");
                }
            } catch (BundleException | InterruptedException | RuntimeException e) {
                System.err.println("warning: stopping the framework failed: " + e);
            }
        }
        System.out.flush();
        System.err.flush();
        deleteCache();
        String exit = System.getProperty("warden.exit");
        // halt: the exit code of the interrupted command, not the signal's default
        Runtime.getRuntime().halt(exit != null ? Integer.parseInt(exit) : EXIT_SIGNAL);
    }

    private int startupError(String line) {
        if (exiting) {
            return EXIT_SIGNAL; // SIGINT/SIGTERM while starting: the framework went away on purpose
        }
        System.err.println("error: " + line);
        stopQuietly();
        return EXIT_STARTUP;
    }

    private void stopQuietly() {
        if (framework == null) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(SHUTDOWN_WAIT_MILLIS);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // already failing; the error line has been printed
        }
    }

    /** Every jar of bundles/ in name order (plus bundles-shell/ with --shell), the runtime bundle last. */
    List<Path> bundleJars() throws IOException {
        List<Path> jars = new ArrayList<>(jarsIn(home.resolve("bundles")));
        if (shell) {
            jars.addAll(jarsIn(home.resolve("bundles-shell")));
        }
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + home.resolve("bundles"));
        }
        // installed last, so that it is stopped first and finishes its command while the pipeline still runs
        jars.sort(Comparator.comparing((Path p) -> p.getFileName().toString().startsWith(RUNTIME_BUNDLE + "-")));
        return jars;
    }

    private static List<Path> jarsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    Map<String, Object> frameworkProperties() throws IOException {
        Map<String, Object> p = new HashMap<>();
        String cache = System.getProperty("warden.cache");
        if (cache != null) {
            cacheDir = Path.of(cache).toAbsolutePath();
            Files.createDirectories(cacheDir);
        } else {
            cacheDir = Files.createTempDirectory("mcp-warden-felix-");
            deleteCache = true;
        }
        p.put(Constants.FRAMEWORK_STORAGE, cacheDir.toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, slf4jPackages());
        p.put("felix.log.logger", new StderrLogger());
        p.put("felix.log.level", "1");
        Path deploy = home.resolve("deploy");
        Files.createDirectories(deploy);
        p.put("felix.fileinstall.dir", deploy.toString());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "1");
        // an interactive console only for --shell on a terminal; never block on stdin otherwise
        if (!(shell && System.console() != null)) {
            p.put("gosh.args", "--nointeractive");
        }
        p.put("warden.home", home.toString());
        p.put("warden.shell", Boolean.toString(shell));
        p.put("warden.argc", Integer.toString(args.size()));
        p.put("warden.args", String.join("\0", args));
        String version = Launcher.class.getPackage().getImplementationVersion();
        p.put("warden.version", version == null ? "dev" : version);
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // the rule engine's own warnings (file layout advice, empty bases) are not the operator's business;
        // rule errors reach the operator as 'rules' events and command output with file, line and column
        for (String noisy : new String[]{"org.drools", "org.kie"}) {
            String key = "org.slf4j.simpleLogger.log." + noisy;
            System.setProperty(key, System.getProperty(key, "off"));
        }
        return p;
    }

    /** slf4j's packages, exported by the system bundle from the launcher's class path. */
    static String slf4jPackages() {
        String v = org.slf4j.LoggerFactory.class.getPackage().getImplementationVersion();
        String version = v == null ? "" : ";version=" + v.replaceAll("[^0-9.].*$", "");
        return Stream.of("org.slf4j", "org.slf4j.event", "org.slf4j.helpers", "org.slf4j.spi")
                .map(pkg -> pkg + version).reduce((a, b) -> a + "," + b).orElseThrow();
    }

    long startTimeoutMillis() {
        return Long.getLong("warden.startTimeoutMillis", 10_000);
    }

    private void deleteCache() {
        if (!deleteCache || cacheDir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(cacheDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp directory; the OS cleans up what is left
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
