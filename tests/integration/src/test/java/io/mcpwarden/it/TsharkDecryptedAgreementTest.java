package io.mcpwarden.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * tshark with the capture's key log is the oracle for decrypted TLS: every HTTP/1.x request
 * ({@code http.request}) and every HTTP/2 request ({@code http2.headers.method}) that tshark decrypts must
 * appear among warden's http events with {@code "decrypted": true} on the same client port, with the same
 * host, URI and method (counted as multisets). warden picks the key log up beside the capture by itself.
 */
class TsharkDecryptedAgreementTest {

    /** Corpus captures with a key log beside them ({@code NAME.keylog}). */
    static List<Path> captures() {
        List<Path> l = new ArrayList<>();
        for (Path p : Harness.files(Harness.corpus(), ".pcap")) {
            if (Files.isRegularFile(keylog(p))) {
                l.add(p);
            }
        }
        return l;
    }

    static Path keylog(Path pcap) {
        return pcap.resolveSibling(pcap.getFileName().toString().replaceFirst("\\.pcap$", "") + ".keylog");
    }

    @TestFactory
    Stream<DynamicNode> warden_decrypts_what_tshark_decrypts() {
        assumeTrue(Harness.available("tshark", "--version"), "skipped: tshark is not installed");
        List<Path> pcaps = captures();
        assumeTrue(!pcaps.isEmpty(), "skipped: no corpus capture has a key log");
        return pcaps.stream().map(pcap -> DynamicContainer.dynamicContainer(pcap.getFileName().toString(), Stream.of(
                DynamicTest.dynamicTest("http/1.x", () -> compare(pcap, false)),
                DynamicTest.dynamicTest("http/2", () -> compare(pcap, true)))));
    }

    private static void compare(Path pcap, boolean h2) {
        Map<String, Integer> oracle = h2 ? tshark(pcap, "http2.headers.method",
                List.of("tcp.srcport", "http2.headers.authority", "http2.headers.path", "http2.headers.method"))
                : tshark(pcap, "http.request", List.of("tcp.srcport", "http.host", "http.request.uri", "http.request.method"));
        List<JsonNode> events = Inspect.events(pcap);
        Map<String, Integer> found = new TreeMap<>();
        for (JsonNode e : Harness.ofType(events, "http")) {
            boolean isH2 = "HTTP/2".equals(Harness.text(e, "http.protocol"));
            if (e.path("decrypted").asBoolean(false) && isH2 == h2) {
                found.merge(Harness.text(e, "src_port") + " " + Harness.host(Harness.text(e, "http.hostname")) + " "
                        + Harness.text(e, "http.url") + " " + Harness.text(e, "http.http_method"), 1, Integer::sum);
            }
        }
        List<String> missing = Harness.missing(oracle, found);
        int total = oracle.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("[tshark-decrypted] %s %s: tshark %d, warden %d, %d missing%n", pcap.getFileName(),
                h2 ? "http2" : "http", total, found.values().stream().mapToInt(Integer::intValue).sum(), missing.size());
        assertTrue(missing.isEmpty(), () -> pcap.getFileName() + ": requests tshark decrypted but warden did not:\n  "
                + String.join("\n  ", missing) + "\nwarden has: " + found.keySet());
    }

    /** "srcport host uri method" per request tshark decrypts (HTTP/2 frames may carry several HEADERS). */
    static Map<String, Integer> tshark(Path pcap, String filter, List<String> fields) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "tls.keylog_file:" + keylog(pcap), "-Y", filter,
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=/s"));
        fields.forEach(f -> {
            cmd.add("-e");
            cmd.add(f);
        });
        Harness.Run run = Harness.run(cmd, Map.of(), Harness.root(), TsharkAgreementTest.TSHARK_TIMEOUT,
                Harness.work("logs").resolve("tshark-decrypted-" + pcap.getFileName() + "-" + filter + ".log"));
        if (!run.ok()) {
            fail("tshark failed: " + run.describe());
        }
        Map<String, Integer> out = new TreeMap<>();
        for (String line : run.output().lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f.length != fields.size() || f[0].isEmpty()) {
                continue; // a warning line on the shared stream
            }
            String[] hosts = f[1].split(" ");
            String[] uris = f[2].split(" ");
            String[] methods = f[3].split(" ");
            for (int i = 0; i < methods.length && i < uris.length; i++) {
                if (methods[i].isEmpty()) {
                    continue;
                }
                String host = i < hosts.length ? hosts[i] : hosts[hosts.length - 1];
                out.merge(f[0] + " " + Harness.host(host) + " " + uris[i] + " " + methods[i], 1, Integer::sum);
            }
        }
        return out;
    }
}
