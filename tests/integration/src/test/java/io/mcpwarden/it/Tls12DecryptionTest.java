package io.mcpwarden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.2 decryption on real traffic: OpenSSL's s_server and s_client talk on 127.0.0.1 with one AES-GCM and
 * one ChaCha20-Poly1305 suite, s_client writes the key log (CLIENT_RANDOM lines), tcpdump captures the
 * loopback; warden inspect --keylog must show each HTTP request, decrypted. Needs root (tcpdump), openssl.
 */
class Tls12DecryptionTest {
    static final List<String> SUITES = List.of("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305");

    @Test
    void requests_inside_tls12_are_decrypted() throws Exception {
        assumeTrue(Harness.isRootUser(), "skipped: tcpdump on lo needs root");
        assumeTrue(Harness.available("tcpdump", "--version"), "skipped: tcpdump is not installed");
        assumeTrue(Harness.available("openssl", "version"), "skipped: openssl is not installed");
        Path dir = Harness.work("tls12");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path keylog = dir.resolve("keys.log");
        Path pcap = dir.resolve("tls12.pcap");
        Files.deleteIfExists(keylog);
        Files.deleteIfExists(pcap);
        selfSigned(dir, cert, key);
        int port = freePort();
        Process server = sServer(dir, port, cert, key);
        Process dump = start(dir, "tcpdump.log", "tcpdump", "-i", "lo", "-U", "-n", "-w", pcap.toString(),
                "tcp port " + port);
        try {
            waitFor(() -> Files.readString(dir.resolve("tcpdump.log")).contains("listening on"), "tcpdump to listen");
            waitFor(() -> canConnect(port), "s_server to accept");
            for (String suite : SUITES) {
                String request = "GET /tls12-" + suite + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: tls12-test\r\n\r\n";
                sClient(dir, "s_client-" + suite + ".log", request, "-connect", "127.0.0.1:" + port, "-tls1_2",
                        "-cipher", suite, "-servername", "localhost", "-keylogfile", keylog.toString());
            }
            Thread.sleep(500);
        } finally {
            dump.destroy(); // SIGTERM: tcpdump flushes and closes the file
            dump.waitFor(10, TimeUnit.SECONDS);
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        Path out = dir.resolve("tls12.jsonl");
        Harness.Run run = Harness.run(List.of(Harness.warden().toString(), "inspect", "--pcap", pcap.toString(),
                "--keylog", keylog.toString(), "--events", out.toString(), "--no-rules"), Duration.ofSeconds(120),
                dir.resolve("inspect.log"));
        assertTrue(run.ok(), run::describe);
        assertTrue(run.output().contains("TLS decrypted " + SUITES.size() + " flows"), run.output());
        List<JsonNode> events = Harness.readJsonLines(out);
        List<String> urls = new ArrayList<>();
        for (JsonNode e : Harness.ofType(events, "http")) {
            if (e.path("decrypted").asBoolean(false)) {
                urls.add(Harness.text(e, "http.url"));
                assertEquals("tls12-test", Harness.text(e, "http.http_user_agent"));
                assertEquals("200", Harness.text(e, "http.status"));
            }
        }
        for (String suite : SUITES) {
            assertTrue(urls.contains("/tls12-" + suite), "no decrypted request for " + suite + " in " + urls);
        }
        for (JsonNode t : Harness.ofType(events, "tls")) {
            assertEquals("TLS 1.2", Harness.text(t, "tls.version"));
            assertTrue(t.path("decrypted").asBoolean(false), t::toString);
        }
    }

    /** A self-signed certificate for localhost and its key (openssl req). */
    static void selfSigned(Path dir, Path cert, Path key) {
        Harness.Run gen = Harness.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost"),
                Duration.ofSeconds(60), dir.resolve("openssl-req.log"));
        assertTrue(gen.ok(), gen::describe);
    }

    /** One {@code openssl s_client} connection that sends {@code request}, waits a little and closes. */
    static void sClient(Path dir, String log, String request, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-quiet", "-ign_eof"));
        Process client = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
        client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        Thread.sleep(700);
        client.getOutputStream().close();
        if (!client.waitFor(10, TimeUnit.SECONDS)) {
            client.destroyForcibly();
        }
    }

    static Process start(Path dir, String log, String... cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    /** OpenSSL's test server on 127.0.0.1:{@code port}, answering each request with a status page. */
    static Process sServer(Path dir, int port, Path cert, Path key) throws IOException {
        return start(dir, "s_server.log", "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", key.toString(), "-www", "-quiet");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static boolean canConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check c, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            if (c.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
