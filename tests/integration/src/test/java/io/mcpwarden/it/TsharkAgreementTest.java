package io.mcpwarden.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * tshark is the oracle: on every corpus capture (and demo/demo.pcap), each DNS query name, TLS SNI
 * and HTTP request (host without port + URI) that tshark finds must appear in warden's events on
 * the same flow, counted as multisets keyed by the client's source port.
 */
class TsharkAgreementTest {
    static final Duration TSHARK_TIMEOUT = Duration.ofSeconds(120);

    /** One kind of fact: tshark filter and fields, and how to read the same fact from a warden event. */
    record Kind(String name, String filter, List<String> fields, String eventType, Function<JsonNode, List<String>> fromEvent) {}

    static final List<Kind> KINDS = List.of(
            new Kind("dns", "dns.flags.response==0", List.of("udp.srcport", "tcp.srcport", "dns.qry.name"), "dns",
                    e -> "query".equals(Harness.text(e, "dns.type"))
                            ? keys(Harness.text(e, "src_port"), Harness.host(LiveCaptureTest.dnsName(e)))
                            : List.of()),
            new Kind("tls", "tls.handshake.type==1", List.of("tcp.srcport", "tls.handshake.extensions_server_name"), "tls",
                    e -> keys(Harness.text(e, "src_port"), Harness.host(Harness.text(e, "tls.sni")))),
            new Kind("http", "http.request", List.of("tcp.srcport", "http.host", "http.request.uri"), "http",
                    e -> keys(Harness.text(e, "src_port"), Harness.host(Harness.text(e, "http.hostname"))
                            + " " + Harness.text(e, "http.url"))));

    private static List<String> keys(String port, String value) {
        return port == null || value == null || value.startsWith("null") ? List.of() : List.of(port + " " + value);
    }

    static List<Path> captures() {
        List<Path> pcaps = new ArrayList<>(Harness.files(Harness.corpus(), ".pcap"));
        Path demo = Harness.root().resolve("demo/demo.pcap");
        if (Files.isRegularFile(demo)) {
            pcaps.add(demo);
        }
        return pcaps;
    }

    @TestFactory
    Stream<DynamicNode> warden_finds_what_tshark_finds() {
        assumeTrue(Harness.available("tshark", "--version"), "TsharkAgreementTest skipped: tshark is not installed");
        return captures().stream().map(pcap -> DynamicContainer.dynamicContainer(pcap.getFileName().toString(),
                KINDS.stream().map(kind -> DynamicTest.dynamicTest(kind.name(), () -> compare(pcap, kind)))));
    }

    private static void compare(Path pcap, Kind kind) {
        Map<String, Integer> oracle = tshark(pcap, kind);
        List<JsonNode> events = Inspect.events(pcap);
        Map<String, Integer> found = new TreeMap<>();
        Harness.ofType(events, kind.eventType()).forEach(e -> kind.fromEvent().apply(e).forEach(k -> found.merge(k, 1, Integer::sum)));

        List<String> missing = Harness.missing(oracle, found);
        int total = oracle.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("[tshark] %s %s: tshark %d, warden %d %s events, %d missing%n", pcap.getFileName(),
                kind.name(), total, Harness.ofType(events, kind.eventType()).size(), kind.eventType(), missing.size());
        assertTrue(missing.isEmpty(), () -> pcap.getFileName() + ": " + missing.size() + " " + kind.name()
                + " item(s) (\"srcport value\") seen by tshark but not in warden's " + kind.eventType() + " events:\n  "
                + String.join("\n  ", missing) + "\nwarden has: " + found.keySet());
    }

    /** tshark's facts of one kind as a multiset of "srcport value". */
    static Map<String, Integer> tshark(Path pcap, Kind kind) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-Y", kind.filter(),
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        kind.fields().forEach(f -> {
            cmd.add("-e");
            cmd.add(f);
        });
        String base = pcap.getFileName().toString() + "-" + kind.name();
        Harness.Run run = Harness.run(cmd, Map.of(), Harness.root(), TSHARK_TIMEOUT,
                Harness.work("logs").resolve("tshark-" + base + ".log"));
        if (!run.ok()) {
            fail("tshark failed: " + run.describe());
        }
        Map<String, Integer> out = new TreeMap<>();
        for (String line : run.output().lines().toList()) {
            if (line.isBlank() || line.startsWith("Running as user")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != kind.fields().size()) {
                continue; // a warning line on the shared stream
            }
            String port;
            String value;
            switch (kind.name()) {
                case "dns" -> {
                    port = !f[0].isEmpty() ? f[0] : f[1];
                    for (String name : f[2].split(",")) {
                        if (!name.isEmpty()) {
                            out.merge(port + " " + Harness.host(name), 1, Integer::sum);
                        }
                    }
                    continue;
                }
                case "tls" -> {
                    port = f[0];
                    value = f[1].isEmpty() ? null : Harness.host(f[1]);
                }
                default -> {
                    port = f[0];
                    value = f[1].isEmpty() ? null : Harness.host(f[1]) + " " + f[2];
                }
            }
            if (value != null && !port.isEmpty()) {
                out.merge(port + " " + value, 1, Integer::sum);
            }
        }
        return out;
    }
}
