package io.mcpwarden.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `warden run` speaks systemd's notification protocol as a Type=notify service must: READY=1 once capturing,
 * WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on SIGTERM. The receiving end is a real AF_UNIX datagram
 * socket (as systemd's), bound by a small Python listener; the appliance sends through libsystemd.
 */
class SystemdNotifyTest {

    @Test
    void readyWatchdogAndStoppingReachTheNotifySocket() throws Exception {
        assumeNotifyPossible();
        Path dir = Harness.work("systemd-notify");
        Path sock = dir.resolve("notify.sock");
        Path got = dir.resolve("notify.log");
        Files.deleteIfExists(sock);
        Process listener = listen(sock, got);
        try {
            for (int i = 0; i < 50 && !Files.exists(sock); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(sock), "listener socket");
            ProcessBuilder pb = new ProcessBuilder(Harness.warden().toString(), "run", "--interface", "lo",
                    "--no-rules", "--events", dir.resolve("events.jsonl").toString(),
                    "--status-file", dir.resolve("status.json").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("warden.out").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("NOTIFY_SOCKET", sock.toString());
            pb.environment().put("WATCHDOG_USEC", "1000000");
            Process warden = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (System.nanoTime() < deadline && count(got, "WATCHDOG=1") < 3) {
                Thread.sleep(200);
            }
            warden.destroy(); // SIGTERM
            assertTrue(warden.waitFor(30, TimeUnit.SECONDS), "warden stops on SIGTERM");
            assertTrue(listener.waitFor(10, TimeUnit.SECONDS), "STOPPING=1 received");
            List<String> lines = Files.readAllLines(got);
            assertTrue(lines.get(0).startsWith("READY=1 | STATUS=capturing on lo"), lines.toString());
            assertTrue(lines.stream().filter(l -> l.equals("WATCHDOG=1")).count() >= 3, lines.toString());
            assertTrue(lines.get(lines.size() - 1).startsWith("STOPPING=1"), lines.toString());
        } finally {
            listener.destroyForcibly();
        }
    }

    /**
     * {@code systemctl reload} = SIGHUP: the rules are read at once (the watcher is slowed to 10 minutes here, so
     * only the signal can have done it), RELOADING=1 … READY=1 reach the notify socket, a broken rule file is
     * rejected with its position while the last good set keeps running and capture goes on, and the
     * rejection is a rules event in the output.
     */
    @Test
    void sighupReloadsRulesAtOnceAndTellsSystemd() throws Exception {
        assumeNotifyPossible();
        Path dir = Harness.work("systemd-reload");
        Path sock = dir.resolve("notify.sock");
        Path got = dir.resolve("notify.log");
        Files.deleteIfExists(sock);
        Files.deleteIfExists(got);
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (var s = Files.list(rules)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        try (var s = Files.list(Harness.root().resolve("detection-rules/rules"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(p, rules.resolve(p.getFileName()));
            }
        }
        Process listener = listen(sock, got);
        Path out = dir.resolve("warden.out");
        Path events = dir.resolve("events.jsonl");
        Files.deleteIfExists(events);
        try {
            for (int i = 0; i < 50 && !Files.exists(sock); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(sock), "listener socket");
            ProcessBuilder pb = new ProcessBuilder(Harness.warden().toString(), "run", "--interface", "lo",
                    "--rules", rules.toString(), "--events", events.toString(),
                    "--status-file", dir.resolve("status.json").toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("NOTIFY_SOCKET", sock.toString());
            pb.environment().put("WARDEN_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC -Dwarden.policy.scanMillis=600000");
            Process warden = pb.start();
            await(() -> count(got, l -> l.startsWith("READY=1")) >= 1, warden, out, "READY=1");

            Files.writeString(rules.resolve("zz-broken.drl"), "rule \"half\" when\n");
            hup(warden);
            await(() -> Files.readString(out).contains("run: reload (SIGHUP): rules rejected (keeping "), warden, out,
                    "the reload line");
            String log = Files.readString(out);
            assertTrue(log.contains("zz-broken.drl:2:"), log);
            assertTrue(log.contains("capture not interrupted"), log);
            await(() -> count(got, l -> l.startsWith("READY=1")) >= 2, warden, out, "READY=1 after the reload");
            // written while running, within a second or two, even when lo is quiet
            await(() -> Files.exists(events) && Files.readString(events).contains("\"action\":\"rejected\""), warden,
                    out, "the rules event of the rejection in the events file while running");

            Files.delete(rules.resolve("zz-broken.drl"));
            hup(warden);
            await(() -> Files.readString(out).contains("run: reload (SIGHUP): rules loaded ("), warden, out,
                    "the second reload line");
            await(() -> count(got, l -> l.startsWith("READY=1")) >= 3, warden, out, "READY=1 after the 2nd reload");
            assertTrue(warden.isAlive(), "SIGHUP does not stop 'warden run'");

            warden.destroy(); // SIGTERM
            assertTrue(warden.waitFor(30, TimeUnit.SECONDS), "warden stops on SIGTERM");
            assertTrue(listener.waitFor(10, TimeUnit.SECONDS), "STOPPING=1 received");
            List<String> lines = Files.readAllLines(got);
            List<String> kinds = lines.stream().map(l -> l.substring(0, l.indexOf('='))).toList();
            assertEquals(List.of("READY", "RELOADING", "READY", "RELOADING", "READY", "STOPPING"),
                    kinds.stream().filter(k -> !k.equals("WATCHDOG")).toList(), lines.toString());
            assertTrue(lines.stream().filter(l -> l.startsWith("RELOADING=1"))
                    .allMatch(l -> l.matches("RELOADING=1 \\| MONOTONIC_USEC=\\d+ \\| .*")), lines.toString());

            List<com.fasterxml.jackson.databind.JsonNode> ev = Harness.ofType(Harness.readJsonLines(events), "rules")
                    .stream().filter(e -> !e.path("rules").path("file").asText().endsWith(".yaml")).toList(); // registry
            assertEquals(List.of("loaded", "rejected", "loaded"),
                    ev.stream().map(e -> e.path("rules").path("action").asText()).toList(), ev.toString());
            assertEquals("zz-broken.drl", ev.get(1).path("rules").path("file").asText());
            assertEquals(2, ev.get(1).path("rules").path("line").asInt());
            assertEquals(ev.get(0).path("rules").path("ruleset").asText(), ev.get(2).path("rules").path("ruleset").asText(),
                    "the same files give the same rule set hash");
        } finally {
            listener.destroyForcibly();
        }
    }

    private static void assumeNotifyPossible() {
        Assumptions.assumeTrue(Harness.isRootUser(), "live capture on lo needs root");
        Assumptions.assumeTrue(Harness.available("python3", "--version"), "python3 missing");
        Assumptions.assumeTrue(hasLibsystemd(), "libsystemd0 missing");
    }

    private static Process listen(Path sock, Path got) throws java.io.IOException {
        return new ProcessBuilder("python3", "-c", String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.bind(sys.argv[1]); s.settimeout(120)",
                "out = open(sys.argv[2], 'w')",
                "while True:",
                "    d = s.recv(4096).decode()",
                "    out.write(d.replace('\\n', ' | ') + '\\n'); out.flush()",
                "    if 'STOPPING=1' in d: break"), sock.toString(), got.toString())
                .redirectErrorStream(true).redirectOutput(sock.resolveSibling("listener.out").toFile()).start();
    }

    private static void hup(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check c, Process warden, Path out, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.ok()) {
            if (!warden.isAlive() || System.nanoTime() > deadline) {
                fail("no " + what + (warden.isAlive() ? " within 60 s" : "; warden ended with " + warden.exitValue())
                        + ": " + Files.readString(out));
            }
            Thread.sleep(100);
        }
    }

    private static long count(Path f, java.util.function.Predicate<String> p) throws java.io.IOException {
        return Files.exists(f) ? Files.readAllLines(f).stream().filter(p).count() : 0;
    }

    private static long count(Path f, String what) throws java.io.IOException {
        return count(f, what::equals);
    }

    /** libsystemd.so.0 in a multiarch or plain library directory (any architecture). */
    private static boolean hasLibsystemd() {
        for (String dir : new String[] {"/lib", "/usr/lib", "/lib64", "/usr/lib64"}) {
            if (Files.exists(Path.of(dir, "libsystemd.so.0"))) {
                return true;
            }
            try (java.util.stream.Stream<Path> s = Files.list(Path.of(dir))) {
                if (s.anyMatch(p -> p.getFileName().toString().endsWith("-linux-gnu")
                        && Files.exists(p.resolve("libsystemd.so.0")))) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // no such directory here
            }
        }
        return false;
    }
}
