package io.mcpwarden.it;

import static io.mcpwarden.it.Tls12DecryptionTest.canConnect;
import static io.mcpwarden.it.Tls12DecryptionTest.freePort;
import static io.mcpwarden.it.Tls12DecryptionTest.sClient;
import static io.mcpwarden.it.Tls12DecryptionTest.sServer;
import static io.mcpwarden.it.Tls12DecryptionTest.selfSigned;
import static io.mcpwarden.it.Tls12DecryptionTest.start;
import static io.mcpwarden.it.Tls12DecryptionTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live decryption with a key log that grows while capture runs: {@code warden run --interface lo --keylog K}
 * starts with K empty; OpenSSL's s_client (TLS 1.3) appends each connection's secrets to K as it derives them,
 * after the ServerHello is already on the wire. Every request must still come out decrypted. Needs root
 * (capture on lo) and openssl.
 */
class LiveKeyLogDecryptionTest {

    @Test
    void secretsAppendedDuringTheCaptureDecryptNewConnections() throws Exception {
        assumeTrue(Harness.isRootUser(), "skipped: live capture on lo needs root");
        assumeTrue(Harness.available("openssl", "version"), "skipped: openssl is not installed");
        Path dir = Harness.work("live-keylog");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path keylog = dir.resolve("sslkeys.log");
        Path events = dir.resolve("events.jsonl");
        Files.deleteIfExists(events);
        Files.writeString(keylog, ""); // the clients write into it later
        selfSigned(dir, cert, key);
        int port = freePort();
        Path runLog = dir.resolve("run.log");
        Process warden = start(dir, "run.log", Harness.warden().toString(), "run", "--interface", "lo", "--bpf",
                "tcp port " + port, "--keylog", keylog.toString(), "--events", events.toString(), "--no-rules",
                "--status-file", dir.resolve("status.json").toString());
        Process server = null;
        List<String> sent = new ArrayList<>();
        try {
            waitFor(() -> Files.readString(runLog).contains("capturing on lo"), "warden run to capture");
            server = sServer(dir, port, cert, key);
            waitFor(() -> canConnect(port), "s_server to accept");
            for (int i = 1; i <= 3; i++) {
                String url = "/live-" + i;
                String request = "GET " + url + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: live-keylog-test\r\n\r\n";
                sClient(dir, "s_client-" + i + ".log", request, "-connect", "127.0.0.1:" + port, "-tls1_3",
                        "-servername", "localhost", "-keylogfile", keylog.toString());
                sent.add(url);
            }
            Thread.sleep(1500); // the capture's last packets reach the pipeline
        } finally {
            warden.destroy(); // SIGTERM: flows end, events are written
            warden.waitFor(60, TimeUnit.SECONDS);
            if (server != null) {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
        String log = Files.readString(runLog);
        assertTrue(Files.readString(keylog).contains("SERVER_TRAFFIC_SECRET_0"), "s_client wrote no key log");
        List<JsonNode> all = Harness.readJsonLines(events);
        List<String> urls = new ArrayList<>();
        for (JsonNode e : Harness.ofType(all, "http")) {
            if (e.path("decrypted").asBoolean(false)) {
                urls.add(Harness.text(e, "http.url"));
                assertEquals("live-keylog-test", Harness.text(e, "http.http_user_agent"));
            }
        }
        assertEquals(sent, urls, "decrypted requests; run log:\n" + log + "\nevents: " + Harness.countByType(all));
        for (JsonNode t : Harness.ofType(all, "tls")) {
            assertEquals("TLS 1.3", Harness.text(t, "tls.version"));
            assertTrue(t.path("decrypted").asBoolean(false), t::toString);
        }
        assertTrue(log.contains("TLS decrypted 3 flows"), log);
        assertTrue(log.contains("key log sslkeys.log (followed, 12 secrets)"), log); // 4 per TLS 1.3 connection
    }
}
