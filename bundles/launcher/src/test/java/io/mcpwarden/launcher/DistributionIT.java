package io.mcpwarden.launcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Starts the real assembled distribution ({@code target/warden}) in child processes, as {@code warden} does.
 * Runs after {@code package} (failsafe). Every child has a timeout: a framework that cannot start fails the
 * test with its output instead of hanging the build.
 */
class DistributionIT {
    static final Path DIST = Path.of(System.getProperty("warden.dist", "target/warden")).toAbsolutePath();
    static final Path SHARED = Path.of(System.getProperty("warden.shared", "/work/shared"));
    static final long TIMEOUT_SECONDS = 60;
    static final long STARTUP_BUDGET_MILLIS = Long.getLong("warden.startupBudgetMillis", 3_000);

    record Result(int code, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + code + " after " + millis + " ms\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Path launcherJar;

    @BeforeAll
    static void findLauncher() {
        launcherJar = DIST.resolve("lib").resolve("warden-launcher.jar");
        assertTrue(Files.isRegularFile(launcherJar), "no assembled distribution at " + DIST);
    }

    static Result warden(Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Dwarden.timing=true", "-jar",
                home.resolve("lib").resolve("warden-launcher.jar").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("warden-it-", ".out");
        Path err = Files.createTempFile("warden-it-", ".err");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("warden " + String.join(" ", args) + " did not end within " + TIMEOUT_SECONDS + " s\n--- stderr\n"
                        + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result warden(String... args) throws IOException, InterruptedException {
        return warden(DIST, args);
    }

    /** Whether the distribution holds a bundle that declares components (the inspection pipeline). */
    static boolean pipelineImplemented() throws IOException {
        if (System.getProperty("warden.it.pipeline") != null) { // for runs against a hand-made distribution
            return Boolean.getBoolean("warden.it.pipeline");
        }
        try (Stream<Path> s = Files.list(DIST.resolve("bundles"))) {
            Path jar = s.filter(p -> p.getFileName().toString().startsWith("warden-pipeline-")).findFirst()
                    .orElseThrow();
            try (JarFile j = new JarFile(jar.toFile())) {
                return j.getManifest().getMainAttributes().getValue("Service-Component") != null;
            }
        }
    }

    static void assumePipeline() throws IOException {
        assertTrue(pipelineImplemented(), "the warden-pipeline bundle must declare its InspectionService component");
    }

    @Test
    void layout() {
        for (String d : List.of("lib", "bundles", "bundles-shell", "deploy")) {
            assertTrue(Files.isDirectory(DIST.resolve(d)), d);
        }
        assertTrue(Files.exists(DIST.resolve("lib/org.apache.felix.framework-7.0.5.jar")));
        // pcap4j has no OSGi manifest: it travels inside the capture bundle, not as a bundle of its own
        try (Stream<Path> s = Files.list(DIST.resolve("bundles"))) {
            List<Path> jars = s.toList();
            assertTrue(jars.stream().noneMatch(p -> p.getFileName().toString().contains("pcap4j")), jars.toString());
            Path capture = jars.stream().filter(p -> p.getFileName().toString().startsWith("warden-capture-"))
                    .findFirst().orElseThrow();
            try (JarFile j = new JarFile(capture.toFile())) {
                assertNotNull(j.getEntry("org/pcap4j/core/Pcaps.class"), "pcap4j embedded in " + capture);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(Files.exists(DIST.resolve("bundles-shell/org.apache.felix.gogo.shell-1.1.4.jar")));
    }

    @Test
    void versionStartsTheRuntimeWithinBudget() throws Exception {
        assumePipeline();
        Result r = warden("version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("MCP Warden ") && r.out().contains("Felix framework 7.0.5"), r.toString());
        Matcher m = Pattern.compile("runtime ready in (\\d+) ms").matcher(r.err());
        assertTrue(m.find(), r.toString());
        long ready = Long.parseLong(m.group(1));
        System.out.printf("startup: pipeline ready %d ms after launcher start; 'warden version' took %d ms%n", ready,
                r.millis());
        assertTrue(ready < STARTUP_BUDGET_MILLIS, "runtime ready after " + ready + " ms; budget " + STARTUP_BUDGET_MILLIS);
    }

    @Test
    void inspectWritesEventsToStdoutAndSummaryToStderr() throws Exception {
        assumePipeline();
        Result r = warden("inspect", "--pcap", SHARED.resolve("corpus/mcp/P1.pcap").toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(!lines.isEmpty(), r.toString());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{") && l.contains("\"event_type\"")), r.toString());
        assertTrue(r.err().contains("inspect: P1.pcap: ") && r.err().contains("status ok"), r.toString());
    }

    @Test
    void inspectOfANonCaptureExits2WithTheOffset(@TempDir Path tmp) throws Exception {
        assumePipeline();
        Path junk = Files.writeString(tmp.resolve("junk.pcap"), "definitely not a capture");
        Result r = warden("inspect", "--pcap", junk.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("offset"), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "inspect; --pcap --events --pcap-dir --events-dir --jobs --help",
        "run; --interface --bpf --events --snaplen --help",
        "demo; --events --help",
        "version; --help",
        "; --help --version"})
    void helpOfEveryCommandExits0AndMentionsEveryOption(String command, String options) throws Exception {
        assumePipeline();
        Result r = command == null ? warden("--help") : warden(command, "--help");
        assertEquals(0, r.code(), r.toString());
        for (String o : options.split(" ")) {
            assertTrue(r.out().contains(o), (command == null ? "warden" : command) + " --help lacks " + o + "\n" + r);
        }
        assertTrue(r.out().contains("Exit codes:"), r.toString());
    }

    @Test
    void withoutTheComponentProvidingTheInspectionServiceTheLauncherNamesItAndExits70(@TempDir Path tmp)
            throws Exception {
        Path home = tmp.resolve("warden");
        copyTree(DIST, home);
        // the bundle stays (its packages resolve) but declares no component: the service never appears
        try (Stream<Path> s = Files.list(home.resolve("bundles"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("warden-pipeline-")).toList()) {
                stripComponents(p);
            }
        }
        Result r = warden(home, "version");
        assertEquals(Launcher.EXIT_STARTUP, r.code(), r.toString());
        assertTrue(r.err().contains("io.mcpwarden.pipeline.InspectionService"), r.toString());
    }

    /** Rewrites a bundle without its Service-Component header. */
    static void stripComponents(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".new");
        try (JarFile in = new JarFile(jar.toFile())) {
            java.util.jar.Manifest m = new java.util.jar.Manifest(in.getManifest());
            m.getMainAttributes().remove(new java.util.jar.Attributes.Name("Service-Component"));
            try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(tmp), m)) {
                for (var e : java.util.Collections.list(in.entries())) {
                    if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                    in.getInputStream(e).transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aBundleWithAMissingPackageFailsFastWithOneLineNamingIt(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("warden");
        copyTree(DIST, home);
        try (Stream<Path> s = Files.list(home.resolve("bundles"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("warden-capture-")).toList()) {
                Files.delete(p);
            }
        }
        Result r = warden(home, "version");
        assertEquals(Launcher.EXIT_STARTUP, r.code(), r.toString());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.toString());
        assertTrue(errors.get(0).contains("package io.mcpwarden.capture"), r.toString());
        assertTrue(r.millis() < 10_000, "must fail fast, took " + r.millis() + " ms");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
