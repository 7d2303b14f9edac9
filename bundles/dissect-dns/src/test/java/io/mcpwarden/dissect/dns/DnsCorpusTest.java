package io.mcpwarden.dissect.dns;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Compares the dissector with tshark's decoding of the same packets, and runs robustness passes over them. */
class DnsCorpusTest {
    static final int BIT_FLIP_ITERATIONS = 10_000;

    /** Parses the row's payload: UDP directly, TCP through the RFC 7766 framer (one message expected). */
    static DnsParse dissect(CorpusRow row) {
        if (row.udp() != null) {
            return DnsDissector.parse(row.udp(), 0, row.udp().length);
        }
        List<DnsParse> out = new ArrayList<>();
        new DnsTcpFramer().feed(row.tcp(), 0, row.tcp().length, out::add);
        assertEquals(1, out.size(), row.file() + " frame " + row.frame());
        return out.get(0);
    }

    static void assertMatchesTshark(CorpusRow row) {
        String where = row.file() + " frame " + row.frame();
        DnsParse p = dissect(row);
        DnsMessage m = p.message();
        assertNotNull(m, where);
        assertTrue(p.complete(), where + " " + p.anomalies());
        assertEquals(Integer.decode(row.field("dns.id")).intValue(), m.id(), where);
        assertEquals(row.field("dns.flags.response").equals("1"), m.response(), where);
        assertEquals(Integer.parseInt(row.field("dns.flags.opcode")), m.opcode(), where);
        assertEquals(row.field("dns.flags.truncated").equals("1"), m.truncated(), where);
        if (m.response()) {
            assertEquals(Integer.parseInt(row.field("dns.flags.rcode")), m.rcode(), where);
        }
        List<String> qnames = CorpusRow.list(row.field("dns.qry.name"));
        List<String> qtypes = CorpusRow.list(row.field("dns.qry.type"));
        assertEquals(qnames.size(), m.questions().size(), where);
        for (int i = 0; i < qnames.size(); i++) {
            assertEquals(tsharkName(qnames.get(i)), m.questions().get(i).name(), where);
            assertEquals(Integer.parseInt(qtypes.get(i)), m.questions().get(i).type(), where);
        }
        int an = Integer.parseInt(row.field("dns.count.answers"));
        assertEquals(an, m.answers().size(), where);
        List<String> rnames = CorpusRow.list(row.field("dns.resp.name"));
        List<String> rtypes = CorpusRow.list(row.field("dns.resp.type"));
        List<String> ttls = CorpusRow.list(row.field("dns.resp.ttl"));
        for (int i = 0; i < an; i++) {
            DnsRecord r = m.answers().get(i);
            assertEquals(tsharkName(rnames.get(i)), r.name(), where);
            assertEquals(Integer.parseInt(rtypes.get(i)), r.type(), where);
            assertEquals(Long.parseLong(ttls.get(i)), r.ttl(), where);
        }
        // tshark lists addresses/names of all sections in wire order: the answer section's come first.
        assertPrefix(rdataOf(m, 1), CorpusRow.list(row.field("dns.a")), where + " A");
        assertPrefix(rdataOf(m, 28), CorpusRow.list(row.field("dns.aaaa")), where + " AAAA");
        assertPrefix(rdataOf(m, 5), CorpusRow.list(row.field("dns.cname")), where + " CNAME");
        assertPrefix(rdataOf(m, 2), CorpusRow.list(row.field("dns.ns")), where + " NS");
    }

    private static String tsharkName(String s) {
        return s.equals("<Root>") ? "." : s;
    }

    private static List<String> rdataOf(DnsMessage m, int type) {
        return m.answers().stream().filter(r -> r.type() == type).map(DnsRecord::rdata).toList();
    }

    private static void assertPrefix(List<String> ours, List<String> tshark, String where) {
        assertTrue(ours.size() <= tshark.size(), where + " " + ours + " vs " + tshark);
        assertEquals(tshark.subList(0, ours.size()), ours, where);
    }

    @Test
    void fixtureMatchesTshark() throws IOException {
        List<CorpusRow> rows = CorpusRow.fixture();
        assertTrue(rows.size() >= 80, "fixture rows: " + rows.size());
        int answers = 0;
        for (CorpusRow row : rows) {
            assertMatchesTshark(row);
            answers += Integer.parseInt(row.field("dns.count.answers"));
        }
        assertTrue(answers > 30, "answers compared: " + answers);
    }

    @Test
    void fixtureTruncatedAtEveryOffset() throws IOException {
        for (CorpusRow row : CorpusRow.fixture()) {
            if (row.udp() != null) {
                TruncationCheck.everyPrefix(row.udp(), DnsDissector.parse(row.udp(), 0, row.udp().length));
            }
        }
    }

    @Test
    void looksLikeDnsOnCorpusAndNotOnOtherData() throws IOException {
        for (CorpusRow row : CorpusRow.fixture()) {
            if (row.udp() != null) {
                assertTrue(DnsDissector.looksLikeDns(row.udp(), 0, row.udp().length), row.file() + " " + row.frame());
            } else {
                assertTrue(DnsDissector.looksLikeDns(row.tcp(), 2, row.tcp().length - 2));
            }
        }
        byte[] http = "GET /mcp HTTP/1.1\r\nHost: a\r\n\r\n".getBytes();
        assertFalse(DnsDissector.looksLikeDns(http, 0, http.length));
        byte[] post = "POST /rpc HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}".getBytes();
        assertFalse(DnsDissector.looksLikeDns(post, 0, post.length));
        byte[] tls = Wire.hex("160301020001000200030300000000000000000000000000000000");
        assertFalse(DnsDissector.looksLikeDns(tls, 0, tls.length));
        assertFalse(DnsDissector.looksLikeDns(new byte[64], 0, 64));
    }

    @Test
    void randomBitFlipsNeverThrow() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (CorpusRow row : CorpusRow.fixture()) {
            seeds.add(row.udp() != null ? row.udp() : row.tcp());
        }
        Random rnd = new Random(0x5EED_D45L);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int anomalous = 0;
            for (int i = 0; i < BIT_FLIP_ITERATIONS; i++) {
                byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
                int flips = 1 + rnd.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int bit = rnd.nextInt(b.length * 8);
                    b[bit >> 3] ^= (byte) (1 << (bit & 7));
                }
                int len = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length + 1) : b.length;
                DnsParse p = DnsDissector.parse(b, 0, len);
                assertNotNull(p.anomalies());
                if (!p.anomalies().isEmpty()) {
                    anomalous++;
                }
                DnsDissector.looksLikeDns(b, 0, len);
                DnsTcpFramer f = new DnsTcpFramer();
                f.feed(b, 0, len, x -> assertNotNull(x.anomalies()));
                assertTrue(f.buffered() <= DnsTcpFramer.MAX_BUFFER);
            }
            assertTrue(anomalous > BIT_FLIP_ITERATIONS / 10, "bit flips found anomalous: " + anomalous);
        });
    }

    /** Every DNS packet tshark decodes in the MCP corpus and the robustness DNS captures, compared field by field. */
    @Test
    void liveTsharkComparison() throws Exception {
        assumeTrue(CorpusRow.tsharkUsable(), "tshark or corpus absent");
        List<Path> pcaps = new ArrayList<>();
        try (Stream<Path> s = Files.list(CorpusRow.corpus().resolve("mcp"))) {
            s.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(pcaps::add);
        }
        for (String f : new String[] {"dns_udp.pcap", "dns_tcp.pcap", "dnssec.pcap", "edns-opts.pcap",
                "dns-uri.pcap", "dns-badvers.pcap", "dns-badcookie.pcap", "dns_udp_8053.pcap"}) {
            pcaps.add(CorpusRow.corpus().resolve("robustness").resolve(f));
        }
        int compared = 0;
        for (Path pcap : pcaps) {
            for (CorpusRow row : CorpusRow.tshark(pcap, "dns && !icmp && !_ws.malformed && !_ws.expert.severity >= warning")) {
                assertMatchesTshark(row);
                compared++;
            }
        }
        assertTrue(compared >= 90, "packets compared: " + compared);
    }

    /** Malformed DNS captures (pointer loops, forward pointers, bad labels, truncation): no throw, bounded time. */
    @Test
    void robustnessCapturesNeverThrow() throws Exception {
        assumeTrue(CorpusRow.tsharkUsable(), "tshark or corpus absent");
        List<String> seen = new ArrayList<>();
        for (String f : new String[] {"dns_fwdptr.pcap", "dns-badlabel.pcap", "dns-zlip-1.pcap", "dns-zlip-2.pcap",
                "dns-zlip-3.pcap", "dns_udp_2.pcap", "dns_tcp_8053.pcap", "nbns-valgrind.pcap"}) {
            Path pcap = CorpusRow.corpus().resolve("robustness").resolve(f);
            for (CorpusRow row : CorpusRow.tshark(pcap, "udp || tcp.len > 0")) {
                byte[] b = row.udp() != null ? row.udp() : row.tcp();
                if (b == null) {
                    continue;
                }
                DnsParse p = assertTimeoutPreemptively(Duration.ofSeconds(2),
                        () -> DnsDissector.parse(b, 0, b.length), f);
                seen.addAll(p.anomalies());
                assertDoesNotThrow(() -> DnsDissector.looksLikeDns(b, 0, b.length));
                new DnsTcpFramer().feed(b, 0, b.length, x -> seen.addAll(x.anomalies()));
            }
        }
        assertTrue(seen.contains(DnsAnomaly.FORWARD_POINTER) || seen.contains(DnsAnomaly.LABEL_LOOP), seen.toString());
    }
}
