package io.mcpwarden.dissect.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsDissectorTest {
    private static final int RESPONSE_RD_RA = 0x8180;
    private static final int QUERY_RD = 0x0100;

    /** A response to {@code name}/{@code qtype} with one answer whose owner points at the question name. */
    private static byte[] answer(String name, int qtype, int type, byte[] rdata) {
        return Wire.header(0xbeef, RESPONSE_RD_RA, 1, 1, 0, 0).question(name, qtype)
                .ptr(12).rr(type, 300, rdata.length).bytes(rdata).build();
    }

    private static DnsRecord onlyAnswer(byte[] msg) {
        DnsParse p = DnsDissector.parse(msg, 0, msg.length);
        assertTrue(p.complete(), () -> "anomalies " + p.anomalies());
        assertEquals(1, p.message().answers().size());
        return p.message().answers().get(0);
    }

    @Test
    void headerAndQuestionFields() {
        byte[] msg = Wire.header(0x1234, QUERY_RD, 1, 0, 0, 0).question("www.Example.COM", 65).build();
        DnsParse p = DnsDissector.parse(msg, 0, msg.length);
        assertTrue(p.complete());
        assertTrue(p.anomalies().isEmpty());
        DnsMessage m = p.message();
        assertEquals(0x1234, m.id());
        assertFalse(m.response());
        assertEquals(0, m.opcode());
        assertFalse(m.truncated());
        assertEquals(List.of(new DnsQuestion("www.Example.COM", 65, "HTTPS")), m.questions());
        assertTrue(m.answers().isEmpty());
    }

    @Test
    void parsesAtAnOffsetInsideALargerBuffer() {
        byte[] msg = answer("a.test", 1, 1, new byte[] {10, 0, 0, 1});
        byte[] framed = new byte[msg.length + 7];
        System.arraycopy(msg, 0, framed, 5, msg.length);
        DnsParse p = DnsDissector.parse(framed, 5, msg.length);
        assertTrue(p.complete(), p.anomalies()::toString);
        assertEquals("a.test", p.message().answers().get(0).name());
        assertEquals("10.0.0.1", p.message().answers().get(0).rdata());
    }

    @Test
    void flagsOpcodeTruncationAndRcodeNames() {
        String[] names = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
        for (int rcode = 0; rcode < 16; rcode++) {
            int flags = 0x8000 | (4 << 11) | 0x0200 | rcode;
            byte[] msg = Wire.header(7, flags, 0, 0, 0, 0).build();
            DnsMessage m = DnsDissector.parse(msg, 0, msg.length).message();
            assertEquals(rcode, m.rcode());
            assertEquals(rcode < names.length ? names[rcode] : "RCODE" + rcode, m.rcodeName());
            assertTrue(m.response());
            assertTrue(m.truncated());
            assertEquals(4, m.opcode());
        }
    }

    @Test
    void queryTypeNames() {
        int[] types = {1, 28, 65, 64, 255, 5, 12, 15, 16, 33, 6, 2, 65280};
        String[] want = {"A", "AAAA", "HTTPS", "SVCB", "ANY", "CNAME", "PTR", "MX", "TXT", "SRV", "SOA", "NS",
                "TYPE65280"};
        for (int i = 0; i < types.length; i++) {
            byte[] msg = Wire.header(1, 0, 1, 0, 0, 0).question("x.test", types[i]).build();
            DnsQuestion q = DnsDissector.parse(msg, 0, msg.length).message().questions().get(0);
            assertEquals(types[i], q.type());
            assertEquals(want[i], q.typeName());
        }
    }

    @Test
    void rootNameIsADot() {
        byte[] msg = Wire.header(1, 0, 1, 0, 0, 0).question("", 2).build();
        assertEquals(".", DnsDissector.parse(msg, 0, msg.length).message().questions().get(0).name());
    }

    @Test
    void aRecordAndTtlAsUnsigned() {
        byte[] msg = Wire.header(1, RESPONSE_RD_RA, 1, 1, 0, 0).question("a.test", 1)
                .ptr(12).rr(1, 0xFFFFFFFFL, 4).bytes(203, 0, 113, 7).build();
        DnsRecord r = onlyAnswer(msg);
        assertEquals(new DnsRecord("a.test", 1, "A", 0xFFFFFFFFL, "203.0.113.7"), r);
    }

    @Test
    void aaaaFollowsRfc5952() throws Exception {
        // Input forms and the canonical text from RFC 5952 §4 (examples of §4.2.1-§4.2.3, §4.3, §5).
        String[][] cases = {
            {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
            {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
            {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
            {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
            {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
            {"2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:AAAA", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"},
            {"0:0:0:0:0:0:0:0", "::"},
            {"0:0:0:0:0:0:0:1", "::1"},
            {"fe80:0:0:0:0:0:0:0", "fe80::"},
            {"0:0:0:0:0:ffff:c000:0280", "::ffff:192.0.2.128"},
        };
        for (String[] c : cases) {
            byte[] addr = InetAddress.getByName(c[0]).getAddress();
            if (addr.length == 4) { // the JDK folds mapped addresses to IPv4
                byte[] a6 = new byte[16];
                a6[10] = (byte) 0xff;
                a6[11] = (byte) 0xff;
                System.arraycopy(addr, 0, a6, 12, 4);
                addr = a6;
            }
            assertEquals(c[1], onlyAnswer(answer("v6.test", 28, 28, addr)).rdata(), c[0]);
        }
    }

    @Test
    void nameTypesWithCompression() {
        for (int type : new int[] {2, 5, 12}) {
            byte[] rd = new Wire().labels("alias").ptr(12).build();
            DnsRecord r = onlyAnswer(answer("svc.example.test", 1, type, rd));
            assertEquals("alias.svc.example.test", r.rdata());
        }
        byte[] mx = new Wire().u16(10).labels("mail").ptr(12).build();
        assertEquals("10 mail.example.test", onlyAnswer(answer("example.test", 15, 15, mx)).rdata());
        byte[] srv = new Wire().u16(1).u16(5).u16(8443).labels("node").ptr(12).build();
        assertEquals("1 5 8443 node.example.test", onlyAnswer(answer("example.test", 33, 33, srv)).rdata());
        byte[] soa = new Wire().labels("ns1").ptr(12).labels("hostmaster").ptr(12)
                .u32(2024010101L).u32(7200).u32(3600).u32(1209600).u32(4294967295L).build();
        assertEquals("ns1.example.test hostmaster.example.test 2024010101 7200 3600 1209600 4294967295",
                onlyAnswer(answer("example.test", 6, 6, soa)).rdata());
    }

    @Test
    void txtIsQuotedAndEscaped() {
        byte[] rd = new Wire().u8(9).bytes("v=spf1 -a".getBytes()).u8(4).bytes('"', '\\', 0x01, 'z').u8(0).build();
        assertEquals("\"v=spf1 -a\" \"\\\"\\\\\\001z\" \"\"", onlyAnswer(answer("t.test", 16, 16, rd)).rdata());
    }

    @Test
    void httpsRecordParams() {
        byte[] rd = new Wire().u16(1).u8(0) // priority 1, target "."
                .u16(0).u16(4).u16(1).u16(3)                         // mandatory=alpn,port
                .u16(1).u16(6).u8(2).bytes('h', '2').u8(2).bytes('h', '3') // alpn=h2,h3
                .u16(2).u16(0)                                       // no-default-alpn
                .u16(3).u16(2).u16(8443)                             // port=8443
                .u16(4).u16(8).bytes(192, 0, 2, 1, 192, 0, 2, 2)     // ipv4hint
                .u16(5).u16(3).bytes(1, 2, 3)                        // ech (base64)
                .u16(6).u16(16).bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) // ipv6hint
                .u16(65001).u16(2).bytes('o', 'k')
                .build();
        assertEquals("1 . mandatory=alpn,port alpn=h2,h3 no-default-alpn port=8443 ipv4hint=192.0.2.1,192.0.2.2"
                        + " ech=AQID ipv6hint=2001:db8::1 key65001=\"ok\"",
                onlyAnswer(answer("h.test", 65, 65, rd)).rdata());
        byte[] alias = new Wire().u16(0).labels("pool").ptr(12).build();
        DnsRecord r = onlyAnswer(answer("h.test", 64, 64, alias));
        assertEquals("SVCB", r.typeName());
        assertEquals("0 pool.h.test", r.rdata());
    }

    @Test
    void unknownAndMalformedRdataUseRfc3597Form() {
        DnsRecord r = onlyAnswer(answer("u.test", 65280, 65280, new byte[] {0x0a, 0, 0, (byte) 0xff}));
        assertEquals("TYPE65280", r.typeName());
        assertEquals("\\# 4 0a0000ff", r.rdata());
        assertEquals("\\# 0", onlyAnswer(answer("u.test", 10, 10, new byte[0])).rdata());

        byte[] badA = answer("a.test", 1, 1, new byte[] {1, 2, 3});
        DnsParse p = DnsDissector.parse(badA, 0, badA.length);
        assertTrue(p.has(DnsAnomaly.RDATA_INVALID));
        assertEquals("\\# 3 010203", p.message().answers().get(0).rdata());
        assertTrue(p.complete(), "a bad RDATA does not stop the walk: its length is known");
    }

    @Test
    void labelsAreEscapedLikeZoneFiles() {
        byte[] msg = Wire.header(1, 0, 1, 0, 0, 0).u8(7).bytes('a', '.', 'b', ' ', 0xff, '\\', 'Z').u8(0)
                .u16(1).u16(1).build();
        assertEquals("a\\.b\\032\\255\\\\Z", DnsDissector.parse(msg, 0, msg.length).message().questions().get(0).name());
    }

    @Test
    void selfPointerIsALoop() {
        byte[] msg = Wire.header(1, 0, 1, 0, 0, 0).ptr(12).u16(1).u16(1).build();
        DnsParse p = parseQuickly(msg);
        assertTrue(p.has(DnsAnomaly.LABEL_LOOP), p.anomalies()::toString);
    }

    @Test
    void pointerBackIntoTheSameRunIsALoop() {
        // offset 12: label "a", then a pointer to 12: backward from the pointer, but into its own run.
        byte[] msg = Wire.header(1, 0, 1, 0, 0, 0).labels("a").ptr(12).u16(1).u16(1).build();
        assertTrue(parseQuickly(msg).has(DnsAnomaly.LABEL_LOOP));
    }

    @Test
    void mutualPointersNeverHang() {
        // Question name at 12 = "a" + pointer to the answer owner; answer owner = "b" + pointer to 12.
        Wire w = Wire.header(1, 0x8000, 1, 1, 0, 0);
        int ownerAt = 12 + 2 + 2 + 4;
        w.labels("a").ptr(ownerAt).u16(1).u16(1);
        assertEquals(ownerAt, w.pos());
        w.labels("b").ptr(12).rr(1, 1, 4).bytes(1, 2, 3, 4);
        DnsParse p = parseQuickly(w.build());
        // Under the strictly-backward rule every cycle contains a forward pointer: both names stop there.
        assertEquals(List.of(DnsAnomaly.FORWARD_POINTER), p.anomalies());
        assertEquals("a", p.message().questions().get(0).name());
        assertEquals("b.a", p.message().answers().get(0).name());
        assertTrue(p.complete(), "both in-place ends are known");

        // Two earlier names pointing at each other, reached from a later name.
        Wire v = Wire.header(1, 0x8000, 3, 0, 0, 0);
        v.ptr(14).u16(1).u16(1);    // 12: -> 14 (forward)
        v.ptr(12);                  // 14 is inside the previous question; never read directly
        byte[] m = v.build();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> DnsDissector.parse(m, 0, m.length));
    }

    @Test
    void chainsOfBackwardPointersAreFollowed() {
        Wire w = Wire.header(1, 0, 3, 0, 0, 0);
        w.question("test", 1);                        // 12
        int second = w.pos();
        w.labels("example").ptr(12).u16(1).u16(1);
        w.labels("www").ptr(second).u16(1).u16(1);
        DnsParse p = DnsDissector.parse(w.build(), 0, w.pos());
        assertTrue(p.complete() && p.anomalies().isEmpty(), p.anomalies()::toString);
        assertEquals("www.example.test", p.message().questions().get(2).name());
        assertEquals("example.test", p.message().questions().get(1).name());
    }

    @Test
    void forwardPointer() {
        Wire w = Wire.header(1, 0, 2, 0, 0, 0);
        w.ptr(18).u16(1).u16(1);          // 12..17, points to 18
        w.question("later.test", 1);      // 18
        DnsParse p = DnsDissector.parse(w.build(), 0, w.pos());
        assertTrue(p.has(DnsAnomaly.FORWARD_POINTER));
        assertEquals("later.test", p.message().questions().get(1).name(), "the walk continues after the pointer");
        assertTrue(p.complete());
    }

    @Test
    void pointerOutOfRange() {
        byte[] msg = Wire.header(1, 0, 1, 0, 0, 0).ptr(0x3fff).u16(1).u16(1).build();
        assertTrue(DnsDissector.parse(msg, 0, msg.length).has(DnsAnomaly.POINTER_OUT_OF_RANGE));
    }

    @Test
    void labelLongerThan63() {
        for (int b : new int[] {0x40, 0x7f, 0x80, 0xbf}) {
            byte[] msg = Wire.header(1, 0, 1, 0, 0, 0).u8(b).bytes(new byte[70]).u8(0).u16(1).u16(1).build();
            DnsParse p = DnsDissector.parse(msg, 0, msg.length);
            assertTrue(p.has(DnsAnomaly.LABEL_TOO_LONG), () -> Integer.toHexString(b));
            assertFalse(p.complete());
        }
    }

    @Test
    void nameLengthCapIs255Octets() {
        String l63 = "a".repeat(63);
        String ok = l63 + "." + l63 + "." + l63 + "." + "b".repeat(61);   // 64*3 + 62 + 1 = 255
        String tooLong = l63 + "." + l63 + "." + l63 + "." + "b".repeat(62);
        byte[] m1 = Wire.header(1, 0, 1, 0, 0, 0).question(ok, 1).build();
        DnsParse p1 = DnsDissector.parse(m1, 0, m1.length);
        assertTrue(p1.anomalies().isEmpty(), p1.anomalies()::toString);
        assertEquals(ok, p1.message().questions().get(0).name());
        byte[] m2 = Wire.header(1, 0, 1, 0, 0, 0).question(tooLong, 1).build();
        assertTrue(DnsDissector.parse(m2, 0, m2.length).has(DnsAnomaly.NAME_TOO_LONG));

        // Over 255 only through a chain of pointers: each name is short in place.
        Wire w = Wire.header(1, 0, 6, 0, 0, 0);
        int prev = w.pos();
        w.question(l63, 1);
        for (int i = 0; i < 5; i++) {
            int at = w.pos();
            w.labels(l63).ptr(prev).u16(1).u16(1);
            prev = at;
        }
        DnsParse p3 = DnsDissector.parse(w.build(), 0, w.pos());
        assertTrue(p3.has(DnsAnomaly.NAME_TOO_LONG));
        assertTrue(p3.complete(), "in-place ends are known, so the walk continues");
        assertEquals(6, p3.message().questions().size());
    }

    @Test
    void answerCountLargerThanData() {
        byte[] msg = Wire.header(9, RESPONSE_RD_RA, 1, 5, 0, 0).question("a.test", 1)
                .ptr(12).rr(1, 60, 4).bytes(1, 1, 1, 1)
                .ptr(12).rr(1, 60, 4).bytes(2, 2, 2, 2).build();
        DnsParse p = DnsDissector.parse(msg, 0, msg.length);
        assertFalse(p.complete());
        assertEquals(List.of(DnsAnomaly.INCOMPLETE), p.anomalies());
        assertEquals(2, p.message().answers().size());
        assertEquals("2.2.2.2", p.message().answers().get(1).rdata());
    }

    @Test
    void authorityAndAdditionalAreWalkedNotKept() {
        byte[] msg = Wire.header(9, RESPONSE_RD_RA, 1, 1, 1, 1).question("a.test", 1)
                .ptr(12).rr(1, 60, 4).bytes(1, 1, 1, 1)
                .ptr(12).rr(2, 60, 2).ptr(12)
                .u8(0).rr(41, 0, 0).build();
        DnsParse p = DnsDissector.parse(msg, 0, msg.length);
        assertTrue(p.complete() && p.anomalies().isEmpty(), p.anomalies()::toString);
        assertEquals(1, p.message().answers().size());
        DnsParse shorter = DnsDissector.parse(msg, 0, msg.length - 1);
        assertFalse(shorter.complete());
        assertTrue(shorter.has(DnsAnomaly.INCOMPLETE));
    }

    @Test
    void trailingData() {
        byte[] base = Wire.header(1, 0, 1, 0, 0, 0).question("a.test", 1).u8(0x99).build();
        DnsParse p = DnsDissector.parse(base, 0, base.length);
        assertTrue(p.complete());
        assertEquals(List.of(DnsAnomaly.TRAILING_DATA), p.anomalies());
    }

    @Test
    void tooManyAnswersAreCapped() {
        int n = DnsDissector.MAX_ANSWERS + 44;
        Wire w = Wire.header(1, RESPONSE_RD_RA, 1, n, 0, 0).question("many.test", 1);
        for (int i = 0; i < n; i++) {
            w.ptr(12).rr(1, 1, 4).bytes(10, 0, i >> 8, i);
        }
        DnsParse p = DnsDissector.parse(w.build(), 0, w.pos());
        assertTrue(p.complete());
        assertTrue(p.has(DnsAnomaly.TOO_MANY_RECORDS));
        assertEquals(DnsDissector.MAX_ANSWERS, p.message().answers().size());
    }

    @Test
    void badRegionsDoNotThrow() {
        byte[] b = new byte[20];
        assertNull(DnsDissector.parse(null, 0, 5).message());
        assertNull(DnsDissector.parse(b, -1, 5).message());
        assertNull(DnsDissector.parse(b, 10, 11).message());
        assertNull(DnsDissector.parse(b, 0, -3).message());
        assertNull(DnsDissector.parse(b, 0, 11).message());
        assertFalse(DnsDissector.looksLikeDns(null, 0, 0));
        assertFalse(DnsDissector.looksLikeDns(b, 15, 10));
    }

    @Test
    void truncatedAtEveryOffsetOfASyntheticMessage() {
        byte[] full = Wire.header(0x77, RESPONSE_RD_RA, 1, 4, 1, 0).question("www.example.test", 1)
                .ptr(12).rr(5, 60, 6).labels("cdn").ptr(16)
                .labels("cdn").ptr(16).rr(1, 60, 4).bytes(192, 0, 2, 9)
                .ptr(12).rr(16, 60, 6).u8(5).bytes("hello".getBytes())
                .ptr(12).rr(28, 60, 16).bytes(new byte[16])
                .ptr(16).rr(6, 60, 22).u8(0).u8(0).u32(1).u32(2).u32(3).u32(4).u32(5)
                .build();
        DnsParse whole = DnsDissector.parse(full, 0, full.length);
        assertTrue(whole.complete() && whole.anomalies().isEmpty(), whole.anomalies()::toString);
        assertEquals(4, whole.message().answers().size());
        TruncationCheck.everyPrefix(full, whole);
    }

    private static DnsParse parseQuickly(byte[] msg) {
        DnsParse p = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> DnsDissector.parse(msg, 0, msg.length));
        assertNotNull(p.message());
        return p;
    }
}
