package io.mcpwarden.dissect.tls;

import static io.mcpwarden.dissect.tls.Hs.alpn;
import static io.mcpwarden.dissect.tls.Hs.ext;
import static io.mcpwarden.dissect.tls.Hs.groups;
import static io.mcpwarden.dissect.tls.Hs.sigAlgs;
import static io.mcpwarden.dissect.tls.Hs.sni;
import static io.mcpwarden.dissect.tls.Hs.versions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsDirectionDissectorTest {
    // The FoxIO JA4.md example: cipher and extension lists in wire order and its signature algorithms.
    static final int[] SPEC_CIPHERS = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
        0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    static final int[] SPEC_SIGALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    static List<Hs.Ext> specExtensions(boolean grease) {
        List<Hs.Ext> e = new ArrayList<>();
        if (grease) {
            e.add(ext(0x3a3a, new byte[0]));
        }
        e.add(ext(0x001b, new byte[] {2, 0, 2}));
        e.add(sni("www.example.test"));
        e.add(ext(0x0033, new Hs().u16(0).build()));
        e.add(alpn("h2", "http/1.1"));
        e.add(ext(0x4469, new byte[] {0, 3, 2, 'h', '2'}));
        e.add(ext(0x0017, new byte[0]));
        e.add(ext(0x002d, new byte[] {1, 1}));
        e.add(grease ? sigAlgs(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x5a5a)
                : sigAlgs(SPEC_SIGALGS));
        e.add(ext(0x0005, new byte[] {1, 0, 0, 0, 0}));
        e.add(ext(0x0023, new byte[0]));
        e.add(ext(0x0012, new byte[0]));
        e.add(grease ? versions(0x7a7a, 0x0304, 0x0303) : versions(0x0304, 0x0303));
        e.add(ext(0xff01, new byte[] {0}));
        e.add(ext(0x000b, new byte[] {1, 0}));
        e.add(grease ? groups(0x8a8a, 0x001d, 0x0017) : groups(0x001d, 0x0017));
        e.add(ext(0x0015, new byte[8]));
        if (grease) {
            e.add(ext(0xdada, new byte[] {0}));
        }
        return e;
    }

    static byte[] specClientHelloRecord(boolean grease) {
        int[] ciphers = SPEC_CIPHERS;
        if (grease) {
            ciphers = new int[SPEC_CIPHERS.length + 1];
            ciphers[0] = 0x2a2a;
            System.arraycopy(SPEC_CIPHERS, 0, ciphers, 1, SPEC_CIPHERS.length);
        }
        return Hs.record(22, 0x0301, Hs.clientHello(0x0303, ciphers, specExtensions(grease)));
    }

    static ClientHello single(byte[] stream) {
        TlsResult r = new TlsDirectionDissector().feed(stream, 0, stream.length);
        assertNotNull(r.clientHello(), r.anomalies()::toString);
        return r.clientHello();
    }

    @Test
    void ja4OfTheSpecificationExample() {
        ClientHello ch = single(specClientHelloRecord(false));
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", ch.ja4());
        assertEquals("www.example.test", ch.sni());
        assertEquals(List.of("h2", "http/1.1"), ch.alpn());
        assertEquals(Hs.ints(0x0304, 0x0303), ch.supportedVersions());
        assertEquals(Hs.ints(SPEC_SIGALGS), ch.signatureAlgorithms());
        assertEquals(Hs.ints(0x001d, 0x0017), ch.supportedGroups());
        assertEquals(0x0303, ch.legacyVersion());
        assertEquals(16, ch.extensionTypes().size());
        assertEquals(0x001b, ch.extensionTypes().get(0));
    }

    @Test
    void greaseIsKeptInListsAndIgnoredByJa4() {
        ClientHello ch = single(specClientHelloRecord(true));
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", ch.ja4());
        assertEquals(0x2a2a, ch.cipherSuites().get(0));
        assertEquals(0x3a3a, ch.extensionTypes().get(0));
        assertEquals(0xdada, ch.extensionTypes().get(ch.extensionTypes().size() - 1));
        assertEquals(Hs.ints(0x7a7a, 0x0304, 0x0303), ch.supportedVersions());
        for (int i = 0; i < 16; i++) {
            assertTrue(TlsDirectionDissector.isGrease(0x0a0a + 0x1010 * i));
        }
        assertFalse(TlsDirectionDissector.isGrease(0x0a1a));
        assertFalse(TlsDirectionDissector.isGrease(0x1301));
        assertFalse(TlsDirectionDissector.isGrease(0x0a0b));
    }

    @Test
    void ja4HashWithoutSignatureAlgorithmsFromTheSpecification() {
        assertEquals("6d807ffa2a79", Ja4.hash12("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01"));
    }

    @Test
    void ja4AlpnCharactersFollowTheSpecification() {
        assertEquals("ab", Ja4.alpnChars(new byte[] {(byte) 0xAB}));
        assertEquals("ad", Ja4.alpnChars(new byte[] {(byte) 0xAB, (byte) 0xCD}));
        assertEquals("3b", Ja4.alpnChars(new byte[] {0x30, (byte) 0xAB}));
        assertEquals("3d", Ja4.alpnChars(new byte[] {0x30, 0x31, (byte) 0xAB, (byte) 0xCD}));
        assertEquals("01", Ja4.alpnChars(new byte[] {0x30, (byte) 0xAB, (byte) 0xCD, 0x31}));
        assertEquals("hh", Ja4.alpnChars(new byte[] {'h'}));
        assertEquals("h1", Ja4.alpnChars("http/1.1".getBytes()));
        assertEquals("00", Ja4.alpnChars(new byte[0]));
        assertEquals("00", Ja4.alpnChars(null));
    }

    @Test
    void ja4WithoutSniAlpnSignatureAlgorithmsOrExtensions() {
        // TLS 1.2 hello with no SNI, no ALPN, no signature_algorithms.
        ClientHello a = single(Hs.record(22, 0x0301, Hs.clientHello(0x0303, new int[] {0xc02f, 0x009c},
                List.of(groups(0x001d), ext(0x000b, new byte[] {1, 0})))));
        String c = Ja4.hash12("000a,000b");
        assertEquals("t12i0202" + "00_" + Ja4.hash12("009c,c02f") + "_" + c, a.ja4());
        // No extensions block at all, TLS 1.0 legacy version: empty extension hash.
        ClientHello b = single(Hs.record(22, 0x0301, Hs.clientHello(0x0301, new int[] {0x002f}, null)));
        assertEquals("t10i0100" + "00_" + Ja4.hash12("002f") + "_000000000000", b.ja4());
        assertNull(b.sni());
        assertTrue(b.extensionTypes().isEmpty());
        // Only SNI and ALPN: nothing left to hash; no ciphers: zero hash too.
        ClientHello d = single(Hs.record(22, 0x0301, Hs.clientHello(0x0303, new int[0],
                List.of(sni("a.test"), alpn("x")))));
        assertEquals("t12d0002xx_000000000000_000000000000", d.ja4());
        // supported_versions holding only GREASE: the legacy version is used.
        ClientHello e = single(Hs.record(22, 0x0301, Hs.clientHello(0x0302, new int[] {0x002f},
                List.of(versions(0x1a1a)))));
        assertTrue(e.ja4().startsWith("t11i0101"), e.ja4());
    }

    @Test
    void ja4CountsAreCappedAt99() {
        int[] many = new int[120];
        for (int i = 0; i < many.length; i++) {
            many[i] = 0x0100 + i;
        }
        ClientHello ch = single(Hs.record(22, 0x0301, Hs.clientHello(0x0303, many, List.of())));
        assertEquals(120, ch.cipherSuites().size());
        assertTrue(ch.ja4().startsWith("t12i9900"), ch.ja4());
    }

    @Test
    void versionNamesAndHex() {
        assertEquals("TLS 1.3", TlsDirectionDissector.versionName(0x0304));
        assertEquals("TLS 1.2", TlsDirectionDissector.versionName(0x0303));
        assertEquals("TLS 1.1", TlsDirectionDissector.versionName(0x0302));
        assertEquals("TLS 1.0", TlsDirectionDissector.versionName(0x0301));
        assertEquals("SSL 3.0", TlsDirectionDissector.versionName(0x0300));
        assertEquals("0x7f1c", TlsDirectionDissector.versionName(0x7f1c));
        assertEquals("0x0304", TlsDirectionDissector.hex4(0x0304));
        assertEquals("0xfefd", TlsDirectionDissector.hex4(0xfefd));
    }

    @Test
    void splitAtEveryByteAcrossTwoFeeds() {
        byte[] rec = specClientHelloRecord(true);
        ClientHello want = single(rec);
        for (int cut = 0; cut <= rec.length; cut++) {
            TlsDirectionDissector d = new TlsDirectionDissector();
            TlsResult first = d.feed(rec, 0, cut);
            TlsResult second = d.feed(rec, cut, rec.length - cut);
            if (cut == rec.length) {
                assertEquals(want, first.clientHello());
                assertTrue(second.isEmpty());
            } else {
                assertTrue(first.isEmpty(), "cut " + cut + " " + first);
                assertEquals(want, second.clientHello(), "cut " + cut);
                assertTrue(second.anomalies().isEmpty(), second.anomalies()::toString);
            }
            assertFalse(d.done(), "a ClientHello alone does not end the client direction");
        }
    }

    @Test
    void splitAtEveryByteAcrossTwoRecordsAndSegments() {
        byte[] msg = Hs.clientHello(0x0303, SPEC_CIPHERS, specExtensions(true));
        ClientHello want = single(Hs.record(22, 0x0301, msg));
        for (int k = 1; k < msg.length; k++) {
            byte[] a = new byte[k];
            byte[] b = new byte[msg.length - k];
            System.arraycopy(msg, 0, a, 0, k);
            System.arraycopy(msg, k, b, 0, b.length);
            byte[] stream = Hs.concat(Hs.record(22, 0x0301, a), Hs.record(22, 0x0303, b));
            assertEquals(want, single(stream), "record split " + k);
            int seg = (k * 7) % stream.length;
            TlsDirectionDissector d = new TlsDirectionDissector();
            TlsResult r1 = d.feed(stream, 0, seg);
            TlsResult r2 = d.feed(stream, seg, stream.length - seg);
            assertEquals(want, r1.clientHello() != null ? r1.clientHello() : r2.clientHello(), "k " + k + " seg " + seg);
        }
    }

    @Test
    void byteByByteFeeding() {
        byte[] rec = specClientHelloRecord(false);
        TlsDirectionDissector d = new TlsDirectionDissector();
        List<ClientHello> got = new ArrayList<>();
        for (int i = 0; i < rec.length; i++) {
            TlsResult r = d.feed(rec, i, 1);
            if (r.clientHello() != null) {
                got.add(r.clientHello());
            }
        }
        assertEquals(List.of(single(rec)), got);
    }

    @Test
    void serverHelloTls13EndsTheDirection() {
        byte[] sh = Hs.serverHello(0x0303, null, 0x1301, List.of(ext(43, Hs.u16s(0x0304)),
                ext(51, new byte[4])));
        byte[] stream = Hs.concat(Hs.record(22, 0x0303, sh), Hs.record(20, 0x0303, new byte[] {1}),
                Hs.record(23, 0x0303, new byte[40]));
        TlsDirectionDissector d = new TlsDirectionDissector();
        TlsResult r = d.feed(stream, 0, stream.length);
        assertEquals(new ServerHello(0x0303, 0x0304, 0x1301, null), r.serverHello());
        assertTrue(r.anomalies().isEmpty());
        assertTrue(d.done());
        assertSame(d.feed(stream, 0, stream.length), d.feed(new byte[10], 0, 10), "done: constant empty result");
    }

    @Test
    void serverHelloTls12WithAlpn() {
        byte[] sh = Hs.serverHello(0x0303, null, 0xc02f, List.of(ext(0xff01, new byte[] {0}), alpn("h2")));
        TlsResult r = new TlsDirectionDissector().feed(Hs.record(22, 0x0303, sh), 0, sh.length + 5);
        assertEquals(new ServerHello(0x0303, 0x0303, 0xc02f, "h2"), r.serverHello());
    }

    @Test
    void helloRetryRequestKeepsTheDirectionOpen() {
        byte[] hrrRandom = Hs.hex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");
        byte[] hrr = Hs.serverHello(0x0303, hrrRandom, 0x1301, List.of(ext(43, Hs.u16s(0x0304))));
        byte[] sh = Hs.serverHello(0x0303, null, 0x1301, List.of(ext(43, Hs.u16s(0x0304))));
        TlsDirectionDissector d = new TlsDirectionDissector();
        byte[] r1 = Hs.record(22, 0x0303, hrr);
        TlsResult a = d.feed(r1, 0, r1.length);
        assertTrue(a.has(TlsAnomaly.HELLO_RETRY_REQUEST));
        assertNotNull(a.serverHello());
        assertFalse(d.done());
        byte[] r2 = Hs.record(22, 0x0303, sh);
        TlsResult b = d.feed(r2, 0, r2.length);
        assertNotNull(b.serverHello());
        assertTrue(b.anomalies().isEmpty());
        assertTrue(d.done());
    }

    @Test
    void applicationDataAndEncryptedHandshakeEndTheDirection() {
        TlsDirectionDissector d = new TlsDirectionDissector();
        byte[] app = Hs.record(23, 0x0303, new byte[100]);
        assertTrue(d.feed(app, 0, 8).isEmpty());
        assertTrue(d.done());

        TlsDirectionDissector e = new TlsDirectionDissector();
        byte[] s = Hs.concat(Hs.record(20, 0x0303, new byte[] {1}), Hs.record(22, 0x0303, new byte[40]));
        assertTrue(e.feed(s, 0, s.length).isEmpty());
        assertTrue(e.done());
    }

    @Test
    void notTlsAndSslv2() {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
        TlsDirectionDissector d = new TlsDirectionDissector();
        assertEquals(List.of(TlsAnomaly.NOT_TLS), d.feed(http, 0, http.length).anomalies());
        assertTrue(d.done());
        byte[] v2 = Hs.hex("802b0103010012000000100000030000060000");
        TlsDirectionDissector e = new TlsDirectionDissector();
        assertEquals(List.of(TlsAnomaly.SSLV2_HELLO), e.feed(v2, 0, v2.length).anomalies());
        assertFalse(TlsDirectionDissector.looksLikeClientHello(v2, 0, v2.length));
    }

    @Test
    void recordAndHandshakeCaps() {
        byte[] tooLong = new Hs().u8(22).u16(0x0303).u16(TlsDirectionDissector.MAX_RECORD_LENGTH + 1).build();
        TlsDirectionDissector d = new TlsDirectionDissector();
        assertEquals(List.of(TlsAnomaly.RECORD_TOO_LONG), d.feed(tooLong, 0, tooLong.length).anomalies());
        assertTrue(d.done());

        byte[] hugeMsg = Hs.record(22, 0x0303, new Hs().u8(11).u24(TlsDirectionDissector.MAX_HANDSHAKE_MESSAGE + 1)
                .bytes(new byte[100]).build());
        TlsDirectionDissector e = new TlsDirectionDissector();
        assertEquals(List.of(TlsAnomaly.HANDSHAKE_TOO_LONG), e.feed(hugeMsg, 0, hugeMsg.length).anomalies());
        assertTrue(e.done());

        // A message of exactly the cap, spread over five records, then a ClientHello: still parsed.
        byte[] big = new Hs().u8(11).u24(TlsDirectionDissector.MAX_HANDSHAKE_MESSAGE)
                .bytes(new byte[TlsDirectionDissector.MAX_HANDSHAKE_MESSAGE]).build();
        Hs s = new Hs();
        int chunk = 16384;
        for (int p = 0; p < big.length; p += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(big, p, Math.min(big.length, p + chunk));
            s.bytes(Hs.record(22, 0x0303, part));
        }
        s.bytes(specClientHelloRecord(false));
        byte[] stream = s.build();
        TlsResult r = new TlsDirectionDissector().feed(stream, 0, stream.length);
        assertTrue(r.anomalies().isEmpty(), r.anomalies()::toString);
        assertNotNull(r.clientHello());
    }

    @Test
    void malformedPartsAreReported() {
        // Extension length running past the block: the hello keeps what came before.
        List<Hs.Ext> exts = new ArrayList<>(List.of(sni("ok.test"), alpn("h2")));
        byte[] msg = Hs.clientHello(0x0303, new int[] {0x1301}, exts);
        msg[msg.length - 6] = 0x7f; // ALPN extension length high byte
        TlsResult r = new TlsDirectionDissector().feed(Hs.record(22, 0x0301, msg), 0, msg.length + 5);
        assertTrue(r.has(TlsAnomaly.EXTENSION_MALFORMED), r.anomalies()::toString);
        assertEquals("ok.test", r.clientHello().sni());
        assertTrue(r.clientHello().alpn().isEmpty());

        byte[] dup = Hs.record(22, 0x0301, Hs.clientHello(0x0303, new int[] {0x1301},
                List.of(sni("a.test"), sni("b.test"))));
        TlsResult d = new TlsDirectionDissector().feed(dup, 0, dup.length);
        assertTrue(d.has(TlsAnomaly.DUPLICATE_EXTENSION));
        assertEquals("a.test", d.clientHello().sni());

        byte[] badSni = Hs.record(22, 0x0301, Hs.clientHello(0x0303, new int[] {0x1301},
                List.of(sni("a b\u0001\\.test"))));
        TlsResult s = new TlsDirectionDissector().feed(badSni, 0, badSni.length);
        assertTrue(s.has(TlsAnomaly.SNI_INVALID));
        assertEquals("a b\\x01\\x5c.test", s.clientHello().sni());

        byte[] shortHello = Hs.record(22, 0x0301, Hs.handshake(1, new byte[20]));
        TlsResult h = new TlsDirectionDissector().feed(shortHello, 0, shortHello.length);
        assertNull(h.clientHello());
        assertEquals(List.of(TlsAnomaly.CLIENT_HELLO_MALFORMED), h.anomalies());
    }

    @Test
    void emptyRecordsInterleavingAndExtraHellos() {
        byte[] msg = Hs.clientHello(0x0303, SPEC_CIPHERS, specExtensions(false));
        byte[] half = java.util.Arrays.copyOf(msg, 50);
        byte[] s = Hs.concat(Hs.record(22, 0x0301, new byte[0]), Hs.record(22, 0x0301, half),
                Hs.record(21, 0x0303, new byte[] {1, 0}), Hs.record(22, 0x0301, msg), Hs.record(22, 0x0301, msg));
        TlsResult r = new TlsDirectionDissector().feed(s, 0, s.length);
        assertEquals(List.of(TlsAnomaly.RECORD_EMPTY, TlsAnomaly.HANDSHAKE_INTERLEAVED, TlsAnomaly.EXTRA_HELLO),
                r.anomalies());
        assertNotNull(r.clientHello());
    }

    @Test
    void gapResyncsOnARecordBoundaryOrStops() {
        byte[] rec = specClientHelloRecord(false);
        TlsDirectionDissector d = new TlsDirectionDissector();
        assertTrue(d.feed(rec, 0, 100).isEmpty());
        d.gap();
        TlsResult r = d.feed(rec, 0, rec.length);
        assertNotNull(r.clientHello());
        assertTrue(r.anomalies().isEmpty());

        TlsDirectionDissector e = new TlsDirectionDissector();
        e.feed(rec, 0, 100);
        e.gap();
        assertEquals(List.of(TlsAnomaly.GAP), e.feed(rec, 150, 100).anomalies());
        assertTrue(e.done());
    }

    @Test
    void looksLikeClientHello() {
        byte[] rec = specClientHelloRecord(false);
        assertTrue(TlsDirectionDissector.looksLikeClientHello(rec, 0, rec.length));
        assertTrue(TlsDirectionDissector.looksLikeClientHello(rec, 0, 6));
        assertFalse(TlsDirectionDissector.looksLikeClientHello(rec, 0, 5));
        byte[] sh = Hs.record(22, 0x0303, Hs.serverHello(0x0303, null, 0x1301, List.of()));
        assertFalse(TlsDirectionDissector.looksLikeClientHello(sh, 0, sh.length));
        byte[] ssl3 = rec.clone();
        ssl3[2] = 0;
        assertFalse(TlsDirectionDissector.looksLikeClientHello(ssl3, 0, ssl3.length));
        byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes();
        assertFalse(TlsDirectionDissector.looksLikeClientHello(http, 0, http.length));
        assertFalse(TlsDirectionDissector.looksLikeClientHello(null, 0, 0));
        assertFalse(TlsDirectionDissector.looksLikeClientHello(rec, rec.length - 3, 10));
    }

    @Test
    void everyPrefixIsIncompleteNotMalformed() {
        byte[] rec = specClientHelloRecord(true);
        for (int cut = 0; cut < rec.length; cut++) {
            TlsDirectionDissector d = new TlsDirectionDissector();
            TlsResult r = d.feed(rec, 0, cut);
            assertTrue(r.isEmpty(), "prefix " + cut + " " + r);
            assertFalse(d.done());
        }
    }
}
