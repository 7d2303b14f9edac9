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
        Assumptions.assumeTrue(Harness.isRootUser(), "live capture on lo needs root");
        Assumptions.assumeTrue(Harness.available("python3", "--version"), "python3 missing");
        Assumptions.assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libsystemd.so.0"))
                || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libsystemd.so.0")), "libsystemd0 missing");
        Path dir = Harness.work("systemd-notify");
        Path sock = dir.resolve("notify.sock");
        Path got = dir.resolve("notify.log");
        Files.deleteIfExists(sock);
        Process listener = new ProcessBuilder("python3", "-c", String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.bind(sys.argv[1]); s.settimeout(60)",
                "out = open(sys.argv[2], 'w')",
                "while True:",
                "    d = s.recv(4096).decode()",
                "    out.write(d.replace('\\n', ' | ') + '\\n'); out.flush()",
                "    if 'STOPPING=1' in d: break"), sock.toString(), got.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("listener.out").toFile()).start();
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

    private static long count(Path f, String what) throws java.io.IOException {
        return Files.exists(f) ? Files.readAllLines(f).stream().filter(what::equals).count() : 0;
    }
}
