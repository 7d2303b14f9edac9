package io.mcpwarden.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.tls.decrypt.KeyLog;
import io.mcpwarden.tls.decrypt.KeyLogParser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key log decryption through the whole pipeline on the corpus captures that ship key logs: what the labels
 * expect in expected_events_decrypted appears, wrong secrets fail cleanly (counted, no decrypted events, no
 * error), and cut or damaged captures never make the pipeline fail.
 */
class DecryptionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static List<Path> withKeys;

    @BeforeAll
    static void corpus() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Corpus.MCP), "corpus not present");
        withKeys = new ArrayList<>();
        try (var s = Files.list(Corpus.MCP)) {
            s.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(p -> {
                if (Files.isRegularFile(keylogOf(p))) {
                    withKeys.add(p);
                }
            });
        }
        Assumptions.assumeFalse(withKeys.isEmpty(), "no corpus capture with a key log");
    }

    static Path keylogOf(Path pcap) {
        return pcap.resolveSibling(pcap.getFileName().toString().replace(".pcap", ".keylog"));
    }

    static KeyLog keys(Path pcap, UnaryOperator<String> edit) throws IOException {
        KeyLog k = new KeyLog();
        String text = edit.apply(Files.readString(keylogOf(pcap), StandardCharsets.ISO_8859_1));
        KeyLogParser.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), k);
        return k;
    }

    @Test
    void labelsExpectationsForDecryptedTrafficAreMet() throws IOException {
        for (Path pcap : withKeys) {
            Corpus.Run run = inspect(pcap, keys(pcap, UnaryOperator.identity()), UnaryOperator.identity());
            JsonNode label = JSON.readTree(pcap.resolveSibling(pcap.getFileName().toString().replace(".pcap", ".json")).toFile());
            noErrors(pcap, run.summary());
            for (JsonNode e : label.path("expected_events_decrypted")) {
                int sport = e.path("src_port").asInt();
                switch (e.path("event_type").asText()) {
                    case "tls" -> assertTrue(run.of(TlsEvent.class).stream().anyMatch(t -> t.flow().srcPort() == sport
                            && t.decrypted() && e.path("tls").path("alpn_selected").asText().equals(t.alpnSelected())),
                            pcap + ": no decrypted tls event with " + e);
                    case "http" -> assertTrue(run.of(HttpEvent.class).stream().anyMatch(h -> h.flow().srcPort() == sport
                            && h.decrypted() && h.url().equals(e.path("http").path("url").asText())
                            && h.method().equals(e.path("http").path("http_method").asText())
                            && h.protocol().equals(e.path("http").path("protocol").asText())),
                            pcap + ": no decrypted http event with " + e);
                    case "mcp" -> {
                        JsonNode m = e.path("mcp");
                        assertTrue(run.of(McpEvent.class).stream().anyMatch(x -> x.flow().srcPort() == sport
                                && x.encrypted() && x.decrypted() && m.path("session_id").asText().equals(x.sessionId())
                                && m.path("endpoint").asText().equals(x.endpoint())
                                && m.path("client_name").asText().equals(x.clientName())
                                && m.path("server_name").asText().equals(x.serverName())),
                                pcap + ": no decrypted mcp event with " + e);
                    }
                    default -> {
                    }
                }
            }
            int sessions = label.path("mcp_sessions_expected").asInt();
            assertEquals(sessions, run.of(McpEvent.class).size(), pcap + ": one mcp event per session, no suspected ones");
        }
    }

    @Test
    void withoutKeysNothingIsDecrypted() throws IOException {
        for (Path pcap : withKeys) {
            Corpus.Run run = inspect(pcap, null, UnaryOperator.identity());
            noErrors(pcap, run.summary());
            assertFalse(run.events().stream().anyMatch(DecryptionTest::decrypted), pcap.toString());
        }
    }

    @Test
    void wrongSecretsFailCleanly() throws IOException {
        for (Path pcap : withKeys) {
            // every secret changed in its last hex digit: each record fails authentication
            KeyLog wrong = keys(pcap, t -> t.lines().map(DecryptionTest::spoil).reduce("", (a, b) -> a + b + "\n"));
            Corpus.Run run = inspect(pcap, wrong, UnaryOperator.identity());
            noErrors(pcap, run.summary());
            assertTrue(run.summary().counters().getOrDefault("tls.decrypt.auth_failed", 0L) > 0, pcap.toString());
            assertFalse(run.events().stream().anyMatch(DecryptionTest::decrypted), pcap.toString());
            assertEquals(run.of(TlsEvent.class).size(), run.summary().eventsByType().getOrDefault("tls", 0L).intValue());
        }
    }

    @Test
    void keysOfOtherConnectionsAreNoKeys() throws IOException {
        for (Path pcap : withKeys) {
            KeyLog other = keys(pcap, t -> t.replaceAll("(?m)^(\\S+) [0-9a-f]{2}", "$1 00"));
            Corpus.Run run = inspect(pcap, other, UnaryOperator.identity());
            noErrors(pcap, run.summary());
            assertTrue(run.summary().counters().getOrDefault("tls.decrypt.no_keys", 0L) > 0, pcap.toString());
            assertFalse(run.events().stream().anyMatch(DecryptionTest::decrypted), pcap.toString());
        }
    }

    /**
     * The capture cut inside every packet in turn (the packets before it, then the first half of its TCP
     * payload): TLS records cut short at the end are counted, never an error.
     */
    @Test
    void captureCutAnywhereIsHandled() throws IOException {
        long truncated = 0;
        for (Path pcap : withKeys) {
            KeyLog k = keys(pcap, UnaryOperator.identity());
            List<PacketRecord> all = read(pcap);
            for (int cut = 1; cut < all.size(); cut++) {
                int n = cut;
                Corpus.Run run = inspect(pcap, k, l -> {
                    List<PacketRecord> copy = new ArrayList<>(l.subList(0, n));
                    PacketRecord half = halfPayload(l.get(n));
                    if (half != null) {
                        copy.add(half);
                    }
                    return copy;
                });
                noErrors(pcap, run.summary());
                truncated += run.summary().counters().getOrDefault("tls.decrypt.truncated_record", 0L);
            }
        }
        assertTrue(truncated > 0, "no cut fell inside a TLS record");
    }

    /** One byte flipped in each packet's payload in turn: damage is counted, never an error. */
    @Test
    void flippedBytesAreHandled() throws IOException {
        long failed = 0;
        for (Path pcap : withKeys) {
            KeyLog k = keys(pcap, UnaryOperator.identity());
            List<PacketRecord> all = read(pcap);
            for (int i = 0; i < all.size(); i++) {
                int victim = i;
                Corpus.Run run = inspect(pcap, k, l -> {
                    List<PacketRecord> copy = new ArrayList<>(l);
                    PacketRecord r = copy.get(victim);
                    PacketRecord f = copyOf(r);
                    f.data[f.offset + f.caplen - 1] ^= 0x5a; // the last byte: payload when there is one
                    copy.set(victim, f);
                    return copy;
                });
                noErrors(pcap, run.summary());
                failed += run.summary().counters().getOrDefault("tls.decrypt.auth_failed", 0L);
            }
        }
        assertTrue(failed > 0, "no flipped byte was caught by record authentication");
    }

    /** Secrets inside the capture (pcapng Decryption Secrets Block written by editcap) are used without a key log. */
    @Test
    void secretsInsideAPcapngAreUsed(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        boolean editcap;
        try {
            editcap = new ProcessBuilder("editcap", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            editcap = false;
        }
        Assumptions.assumeTrue(editcap, "editcap is not installed");
        for (Path pcap : withKeys) {
            Path out = tmp.resolve(pcap.getFileName() + "ng");
            Process p = new ProcessBuilder("editcap", "--inject-secrets", "tls," + keylogOf(pcap), pcap.toString(),
                    out.toString()).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor());
            List<WardenEvent> events = new ArrayList<>();
            InspectionSummary s;
            try (PacketSource src = CaptureFiles.open(out)) {
                s = new Pipeline(events::add, InspectOptions.DEFAULTS).run(src, RunControl.NONE);
            }
            noErrors(pcap, s);
            assertTrue(s.counters().getOrDefault("tls.decrypt.capture_secrets", 0L) > 0, out.toString());
            Corpus.Run withFile = inspect(pcap, keys(pcap, UnaryOperator.identity()), UnaryOperator.identity());
            assertEquals(withFile.events().stream().filter(DecryptionTest::decrypted).count(),
                    events.stream().filter(DecryptionTest::decrypted).count(), out.toString());
            assertTrue(events.stream().anyMatch(DecryptionTest::decrypted), out.toString());
        }
    }

    private static boolean decrypted(WardenEvent e) {
        return e instanceof TlsEvent t && t.decrypted() || e instanceof HttpEvent h && h.decrypted()
                || e instanceof McpEvent m && m.decrypted();
    }

    private static String spoil(String line) {
        if (line.isBlank() || line.startsWith("#")) {
            return line;
        }
        char last = line.charAt(line.length() - 1);
        return line.substring(0, line.length() - 1) + (last == '0' ? '1' : '0');
    }

    private static void noErrors(Path pcap, InspectionSummary s) {
        Map<String, Long> c = s.counters();
        assertEquals(0L, c.getOrDefault("pipeline.internal_error", 0L), pcap + ": internal error");
        assertEquals(0L, c.getOrDefault("pipeline.dissector_error", 0L), pcap + ": dissector error");
    }

    static List<PacketRecord> read(Path pcap) throws IOException {
        List<PacketRecord> l = new ArrayList<>();
        try (PacketSource src = CaptureFiles.open(pcap)) {
            PacketRecord r = new PacketRecord();
            while (src.next(r)) {
                l.add(copyOf(r));
            }
        }
        return l;
    }

    /** An Ethernet/IPv4/TCP frame with only the first half of its payload (IP length adjusted), or null. */
    static PacketRecord halfPayload(PacketRecord r) {
        byte[] f = Arrays.copyOfRange(r.data, r.offset, r.offset + r.caplen);
        if (f.length < 54 || f[12] != 0x08 || f[13] != 0x00 || (f[14] & 0xf0) != 0x40 || f[23] != 6) {
            return null;
        }
        int ihl = (f[14] & 0x0f) * 4;
        int thl = ((f[14 + ihl + 12] & 0xff) >> 4) * 4;
        int ipLen = (f[16] & 0xff) << 8 | (f[17] & 0xff);
        int payload = ipLen - ihl - thl;
        if (payload < 2 || 14 + ipLen > f.length) {
            return null;
        }
        int newIpLen = ipLen - payload + payload / 2;
        byte[] g = Arrays.copyOf(f, 14 + newIpLen);
        g[16] = (byte) (newIpLen >> 8);
        g[17] = (byte) newIpLen;
        PacketRecord c = copyOf(r);
        c.data = g;
        c.caplen = g.length;
        c.origLen = g.length;
        return c;
    }

    static PacketRecord copyOf(PacketRecord r) {
        PacketRecord c = new PacketRecord();
        MemorySource.copy(r, c);
        c.data = Arrays.copyOfRange(r.data, r.offset, r.offset + r.caplen);
        c.offset = 0;
        return c;
    }

    static Corpus.Run inspect(Path pcap, KeyLog keys, UnaryOperator<List<PacketRecord>> edit) throws IOException {
        List<PacketRecord> packets = edit.apply(read(pcap));
        List<WardenEvent> events = new ArrayList<>();
        InspectionSummary s = new Pipeline(events::add, InspectOptions.DEFAULTS.withKeyLog(keys)).run(new MemorySource(packets), RunControl.NONE);
        return new Corpus.Run(s, events);
    }
}
