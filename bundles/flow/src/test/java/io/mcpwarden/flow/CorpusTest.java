package io.mcpwarden.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares the table with tshark on the corpus captures: Community ID and endpoints of every TCP/UDP
 * conversation, and the reassembled bytes of both sides of every TCP stream (length and SHA-256 of
 * {@code tshark -z follow,tcp,raw}). The expected values are in corpus-golden.txt, made by
 * src/test/tshark-golden.sh.
 */
class CorpusTest {

    static Path corpusDir() {
        String shared = System.getProperty("warden.shared", "/work/shared");
        return Path.of(shared, "corpus", "mcp");
    }

    static Map<String, List<String[]>> golden() throws IOException {
        Map<String, List<String[]>> byPcap = new LinkedHashMap<>();
        try (var in = CorpusTest.class.getResourceAsStream("corpus-golden.txt")) {
            assertNotNull(in, "corpus-golden.txt");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    String[] f = line.trim().split(" ");
                    byPcap.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
                }
            }
        }
        return byPcap;
    }

    @TestFactory
    Stream<DynamicTest> everyFlowAgreesWithTshark() throws IOException {
        Path dir = corpusDir();
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus not present: " + dir);
        Map<String, List<String[]>> golden = golden();
        assertFalse(golden.isEmpty());
        return golden.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> check(dir.resolve(e.getKey()), e.getValue())));
    }

    private static void check(Path pcap, List<String[]> lines) throws Exception {
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(FlowConfig.DEFAULTS, rec);
        int n = PcapWalker.walk(pcap, table::process);
        assertTrue(n > 0);
        table.closeAll(null);
        Map<String, Flow> mine = new LinkedHashMap<>();
        for (Flow f : rec.started) {
            mine.put(f.ref().proto().toLowerCase() + " " + f.streamIndex(), f);
        }
        int expectedFlows = 0;
        int follows = 0;
        for (String[] g : lines) {
            if (g[1].equals("flow")) {
                // name flow proto stream src sport dst dport communityid
                expectedFlows++;
                Flow f = mine.get(g[2] + " " + g[3]);
                assertNotNull(f, "no flow for " + String.join(" ", g));
                assertEquals(g[8], f.ref().communityId(), String.join(" ", g));
                assertEquals(g[4], f.ref().srcIp());
                assertEquals(Integer.parseInt(g[5]), f.ref().srcPort());
                assertEquals(g[6], f.ref().destIp());
                assertEquals(Integer.parseInt(g[7]), f.ref().destPort());
            } else {
                // name follow stream node0 node1 len0 sha0 len1 sha1
                follows++;
                Flow f = mine.get("tcp " + g[2]);
                assertNotNull(f, "no flow for " + String.join(" ", g));
                String src = f.ref().srcIp() + ":" + f.ref().srcPort();
                Direction d0 = src.equals(g[3]) ? Direction.TO_SERVER : Direction.TO_CLIENT;
                assertEquals(src.equals(g[3]) ? f.ref().destIp() + ":" + f.ref().destPort() : src, g[4]);
                byte[] b0 = rec.bytes(f, d0);
                byte[] b1 = rec.bytes(f, d0.opposite());
                assertEquals(Long.parseLong(g[5]), b0.length, "node 0 bytes, stream " + g[2]);
                assertEquals(g[6], sha256(b0), "node 0 content, stream " + g[2]);
                assertEquals(Long.parseLong(g[7]), b1.length, "node 1 bytes, stream " + g[2]);
                assertEquals(g[8], sha256(b1), "node 1 content, stream " + g[2]);
                assertEquals(0, f.gaps());
            }
        }
        assertEquals(expectedFlows, rec.started.size(), "flow count");
        assertTrue(follows > 0);
        assertEquals(rec.started.size(), rec.endReason.size());
        assertEquals(0, table.stats().bufferedBytes());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
