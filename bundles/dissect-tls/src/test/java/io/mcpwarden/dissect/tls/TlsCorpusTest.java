package io.mcpwarden.dissect.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The dissector against tshark's own decoding of the corpus ClientHellos, ServerHellos and whole streams. */
class TlsCorpusTest {
    static final int BIT_FLIP_ITERATIONS = 10_000;

    /**
     * JA4 written again from the specification text, from tshark's decoded fields only (independent of the
     * production code path: tshark did the parsing, this does the string building and hashing).
     */
    static String ja4FromTshark(TlsCorpus.Hello h) throws Exception {
        List<Integer> versions = h.ints("tls.handshake.extensions.supported_version").stream()
                .filter(v -> !grease(v)).toList();
        int version = versions.isEmpty() ? Integer.decode(h.field("tls.handshake.version"))
                : versions.stream().max(Integer::compare).orElseThrow();
        String ver = switch (version) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            default -> "00";
        };
        List<Integer> ciphers = h.ints("tls.handshake.ciphersuite").stream().filter(v -> !grease(v)).toList();
        List<Integer> exts = h.ints("tls.handshake.extension.type").stream().filter(v -> !grease(v)).toList();
        List<String> alpn = h.strings("tls.handshake.extensions_alpn_str");
        String a = "00";
        if (!alpn.isEmpty() && !alpn.get(0).isEmpty()) {
            String first = alpn.get(0);
            char f = first.charAt(0);
            char l = first.charAt(first.length() - 1);
            a = Character.isLetterOrDigit(f) && Character.isLetterOrDigit(l) && f < 128 && l < 128 ? "" + f + l
                    : HexFormat.of().formatHex(first.getBytes(StandardCharsets.ISO_8859_1)).replaceAll("^(.).*(.)$", "$1$2");
        }
        String part1 = "t" + ver + (exts.contains(0) ? "d" : "i") + String.format("%02d%02d", Math.min(99, ciphers.size()),
                Math.min(99, exts.size())) + a;
        String cs = ciphers.stream().sorted().map(v -> String.format("%04x", v)).collect(Collectors.joining(","));
        String ex = exts.stream().filter(v -> v != 0 && v != 16).sorted().map(v -> String.format("%04x", v))
                .collect(Collectors.joining(","));
        String sig = h.ints("tls.handshake.sig_hash_alg").stream().filter(v -> !grease(v))
                .map(v -> String.format("%04x", v)).collect(Collectors.joining(","));
        String c = ex.isEmpty() ? "000000000000" : sha12(sig.isEmpty() ? ex : ex + "_" + sig);
        return part1 + "_" + (cs.isEmpty() ? "000000000000" : sha12(cs)) + "_" + c;
    }

    private static boolean grease(int v) {
        return List.of(0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba,
                0xcaca, 0xdada, 0xeaea, 0xfafa).contains(v);
    }

    private static String sha12(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)))
                .substring(0, 12);
    }

    static void assertClientHelloMatches(TlsCorpus.Hello h, ClientHello ch) throws Exception {
        String where = h.pcap() + " frame " + h.frame();
        assertNotNull(ch, where);
        assertEquals(Integer.decode(h.field("tls.handshake.version")), ch.legacyVersion(), where);
        assertEquals(h.ints("tls.handshake.ciphersuite"), ch.cipherSuites(), where);
        assertEquals(h.ints("tls.handshake.extension.type"), ch.extensionTypes(), where);
        assertEquals(h.ints("tls.handshake.sig_hash_alg"), ch.signatureAlgorithms(), where);
        assertEquals(h.strings("tls.handshake.extensions_alpn_str"), ch.alpn(), where);
        assertEquals(h.field("tls.handshake.extensions_server_name"), ch.sni(), where);
        assertEquals(h.ints("tls.handshake.extensions.supported_version"), ch.supportedVersions(), where);
        assertEquals(h.ints("tls.handshake.extensions_supported_group"), ch.supportedGroups(), where);
        assertEquals(ja4FromTshark(h), ch.ja4(), where);
    }

    static void assertServerHelloMatches(TlsCorpus.Hello h, ServerHello sh) {
        String where = h.pcap() + " frame " + h.frame();
        assertNotNull(sh, where);
        int legacy = Integer.decode(h.field("tls.handshake.version"));
        List<Integer> sv = h.ints("tls.handshake.extensions.supported_version");
        assertEquals(legacy, sh.legacyVersion(), where);
        assertEquals(sv.isEmpty() ? legacy : sv.get(0), sh.selectedVersion(), where);
        assertEquals(Integer.decode(h.field("tls.handshake.ciphersuite")), sh.cipherSuite(), where);
        String alpn = h.field("tls.handshake.extensions_alpn_str");
        assertEquals(alpn.isEmpty() ? null : alpn, sh.alpn(), where);
    }

    @Test
    void hellosMatchTshark() throws Exception {
        int clients = 0;
        int servers = 0;
        for (TlsCorpus.Hello h : TlsCorpus.hellos()) {
            TlsDirectionDissector d = new TlsDirectionDissector();
            TlsResult r = d.feed(h.payload(), 0, h.payload().length);
            assertTrue(r.anomalies().isEmpty(), r.anomalies()::toString);
            if (h.type() == 1) {
                assertTrue(TlsDirectionDissector.looksLikeClientHello(h.payload(), 0, h.payload().length));
                assertClientHelloMatches(h, r.clientHello());
                clients++;
            } else {
                assertFalse(TlsDirectionDissector.looksLikeClientHello(h.payload(), 0, h.payload().length));
                assertServerHelloMatches(h, r.serverHello());
                assertTrue(d.done());
                servers++;
            }
        }
        assertEquals(6, clients);
        assertEquals(6, servers);
    }

    @Test
    void resumedConnectionsKeepTheCipherHashAndAddPreSharedKeyLast() throws Exception {
        // P3: one client, a full handshake then two PSK resumptions (RFC 8446 §4.2.11: pre_shared_key is last).
        List<ClientHello> p3 = new ArrayList<>();
        for (TlsCorpus.Hello h : TlsCorpus.hellos()) {
            if (h.type() == 1 && h.pcap().equals("P3")) {
                p3.add(new TlsDirectionDissector().feed(h.payload(), 0, h.payload().length).clientHello());
            }
        }
        assertEquals(3, p3.size());
        String[] first = p3.get(0).ja4().split("_");
        for (ClientHello ch : p3) {
            String[] parts = ch.ja4().split("_");
            assertEquals(3, parts.length, ch.ja4());
            assertEquals(first[1], parts[1], "same cipher list, same JA4_b");
        }
        assertFalse(p3.get(0).extensionTypes().contains(41));
        for (ClientHello resumed : p3.subList(1, 3)) {
            List<Integer> ext = resumed.extensionTypes();
            assertEquals(41, ext.get(ext.size() - 1));
            assertEquals(p3.get(0).extensionTypes(), ext.subList(0, ext.size() - 1));
            int count = Integer.parseInt(resumed.ja4().substring(6, 8));
            assertEquals(Integer.parseInt(p3.get(0).ja4().substring(6, 8)) + 1, count);
        }
        assertEquals(p3.get(1).ja4(), p3.get(2).ja4());
    }

    /** Whole TCP streams, both directions: one hello each, no anomalies, both directions done. */
    @Test
    void wholeStreams() throws Exception {
        List<TlsCorpus.Hello> hellos = TlsCorpus.hellos();
        for (String name : TlsCorpus.STREAMS) {
            TlsCorpus.Stream s = TlsCorpus.stream(name);
            String pcap = name.substring(0, 2);
            int idx = name.charAt(name.length() - 5) - '0';
            TlsCorpus.Hello ch = hellos.stream().filter(h -> h.pcap().equals(pcap) && h.stream() == idx && h.type() == 1)
                    .findFirst().orElseThrow();
            TlsCorpus.Hello sh = hellos.stream().filter(h -> h.pcap().equals(pcap) && h.stream() == idx && h.type() == 2)
                    .findFirst().orElseThrow();
            List<TlsResult> client = feedAll(s.client(), false);
            List<TlsResult> server = feedAll(s.server(), false);
            List<ClientHello> chs = client.stream().map(TlsResult::clientHello).filter(x -> x != null).toList();
            List<ServerHello> shs = server.stream().map(TlsResult::serverHello).filter(x -> x != null).toList();
            assertEquals(1, chs.size(), name);
            assertEquals(1, shs.size(), name);
            assertClientHelloMatches(ch, chs.get(0));
            assertServerHelloMatches(sh, shs.get(0));
            assertTrue(client.stream().allMatch(r -> r.anomalies().isEmpty()), name);
            assertTrue(server.stream().allMatch(r -> r.anomalies().isEmpty()), name);
            // Byte by byte: the same hellos.
            assertEquals(chs, feedAll(s.client(), true).stream().map(TlsResult::clientHello).filter(x -> x != null).toList());
            assertEquals(shs, feedAll(s.server(), true).stream().map(TlsResult::serverHello).filter(x -> x != null).toList());
        }
    }

    private static List<TlsResult> feedAll(List<byte[]> chunks, boolean byteByByte) {
        TlsDirectionDissector d = new TlsDirectionDissector();
        List<TlsResult> out = new ArrayList<>();
        for (byte[] c : chunks) {
            if (byteByByte) {
                for (int i = 0; i < c.length; i++) {
                    out.add(d.feed(c, i, 1));
                }
            } else {
                out.add(d.feed(c, 0, c.length));
            }
        }
        assertTrue(d.done(), "application data reached");
        return out;
    }

    @Test
    void corpusHellosSplitAtEveryByte() throws Exception {
        for (TlsCorpus.Hello h : TlsCorpus.hellos()) {
            byte[] b = h.payload();
            TlsResult whole = new TlsDirectionDissector().feed(b, 0, b.length);
            for (int cut = 1; cut < b.length; cut++) {
                TlsDirectionDissector d = new TlsDirectionDissector();
                TlsResult r1 = d.feed(b, 0, cut);
                TlsResult r2 = d.feed(b, cut, b.length - cut);
                if (h.type() == 1) {
                    assertEquals(whole.clientHello(), r1.clientHello() != null ? r1.clientHello() : r2.clientHello());
                } else {
                    assertEquals(whole.serverHello(), r1.serverHello() != null ? r1.serverHello() : r2.serverHello());
                }
            }
        }
    }

    @Test
    void randomBitFlipsNeverThrow() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (TlsCorpus.Hello h : TlsCorpus.hellos()) {
            seeds.add(h.payload());
        }
        seeds.add(TlsDirectionDissectorTest.specClientHelloRecord(true));
        Random rnd = new Random(0x7157_F11BL);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int changed = 0;
            for (int i = 0; i < BIT_FLIP_ITERATIONS; i++) {
                byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
                int flips = 1 + rnd.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int bit = rnd.nextInt(b.length * 8);
                    b[bit >> 3] ^= (byte) (1 << (bit & 7));
                }
                TlsDirectionDissector d = new TlsDirectionDissector();
                int p = 0;
                boolean anomaly = false;
                while (p < b.length) {
                    int n = 1 + rnd.nextInt(b.length - p);
                    TlsResult r = d.feed(b, p, n);
                    assertNotNull(r.anomalies());
                    anomaly |= !r.anomalies().isEmpty();
                    p += n;
                }
                if (rnd.nextBoolean()) {
                    d.gap();
                    d.feed(b, rnd.nextInt(b.length), 1);
                }
                TlsDirectionDissector.looksLikeClientHello(b, 0, b.length);
                if (anomaly) {
                    changed++;
                }
            }
            assertTrue(changed > BIT_FLIP_ITERATIONS / 20, "anomalous runs: " + changed);
        });
    }

    /** With tshark installed: the same comparison straight from every MCP corpus capture. */
    @Test
    void liveTsharkComparison() throws Exception {
        Path corpus = Path.of(System.getProperty("warden.shared", "/work/shared"), "corpus", "mcp");
        Path tshark = Path.of("/usr/bin/tshark");
        assumeTrue(Files.isExecutable(tshark) && Files.isDirectory(corpus), "tshark or corpus absent");
        int n = 0;
        List<Path> pcaps;
        try (var s = Files.list(corpus)) {
            pcaps = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        for (Path pcap : pcaps) {
            List<String> cmd = new ArrayList<>(List.of(tshark.toString(), "-r", pcap.toString(), "-Y",
                    "tls.handshake.type==1 || tls.handshake.type==2", "-T", "fields", "-E", "separator=/t",
                    "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number", "-e", "tcp.stream",
                    "-e", "tls.handshake.type", "-e", "tcp.payload"));
            for (String f : TlsCorpus.FIELDS) {
                cmd.add("-e");
                cmd.add(f);
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> lines;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                lines = r.lines().filter(l -> !l.isBlank()).toList();
            }
            p.waitFor(60, TimeUnit.SECONDS);
            for (String line : lines) {
                String[] c = line.split("\t", -1);
                TlsCorpus.Hello h = new TlsCorpus.Hello(pcap.getFileName().toString(), Integer.parseInt(c[0]),
                        Integer.parseInt(c[1]), Integer.parseInt(c[2]), Hs.hex(c[3]),
                        java.util.Arrays.copyOfRange(c, 4, c.length));
                TlsResult r = new TlsDirectionDissector().feed(h.payload(), 0, h.payload().length);
                if (h.type() == 1) {
                    assertClientHelloMatches(h, r.clientHello());
                } else {
                    assertServerHelloMatches(h, r.serverHello());
                }
                n++;
            }
        }
        assertTrue(n >= 12, "hellos compared: " + n);
    }
}
