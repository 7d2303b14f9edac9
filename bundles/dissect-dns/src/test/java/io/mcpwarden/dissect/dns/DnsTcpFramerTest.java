package io.mcpwarden.dissect.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsTcpFramerTest {
    private static byte[] framed(byte[]... msgs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] m : msgs) {
            o.write(m.length >> 8);
            o.write(m.length);
            o.write(m, 0, m.length);
        }
        return o.toByteArray();
    }

    private static final byte[] Q = Wire.header(0x0101, 0x0100, 1, 0, 0, 0).question("one.test", 1).build();
    private static final byte[] R = Wire.header(0x0101, 0x8180, 1, 1, 0, 0).question("one.test", 1)
            .ptr(12).rr(1, 30, 4).bytes(198, 51, 100, 1).build();

    private static List<DnsMessage> messages(List<DnsParse> parses) {
        return parses.stream().map(DnsParse::message).toList();
    }

    @Test
    void severalMessagesInOneFeed() {
        byte[] stream = framed(Q, R);
        List<DnsParse> out = new ArrayList<>();
        new DnsTcpFramer().feed(stream, 0, stream.length, out::add);
        assertEquals(2, out.size());
        assertEquals(DnsDissector.parse(Q, 0, Q.length), out.get(0));
        assertEquals(DnsDissector.parse(R, 0, R.length), out.get(1));
        assertEquals("198.51.100.1", out.get(1).message().answers().get(0).rdata());
    }

    @Test
    void splitAtEveryByteBoundaryAndByteByByte() {
        byte[] stream = framed(Q, R, Q);
        List<DnsParse> want = new ArrayList<>();
        new DnsTcpFramer().feed(stream, 0, stream.length, want::add);
        assertEquals(3, want.size());
        for (int cut = 0; cut <= stream.length; cut++) {
            List<DnsParse> got = new ArrayList<>();
            DnsTcpFramer f = new DnsTcpFramer();
            f.feed(stream, 0, cut, got::add);
            f.feed(stream, cut, stream.length - cut, got::add);
            assertEquals(messages(want), messages(got), "cut " + cut);
            assertEquals(0, f.buffered());
        }
        List<DnsParse> got = new ArrayList<>();
        DnsTcpFramer f = new DnsTcpFramer();
        for (int i = 0; i < stream.length; i++) {
            f.feed(stream, i, 1, got::add);
        }
        assertEquals(messages(want), messages(got));
    }

    @Test
    void zeroLengthPrefix() {
        byte[] stream = framed(new byte[0], Q);
        List<DnsParse> out = new ArrayList<>();
        new DnsTcpFramer().feed(stream, 0, stream.length, out::add);
        assertEquals(2, out.size());
        assertNull(out.get(0).message());
        assertEquals(List.of(DnsAnomaly.TCP_ZERO_LENGTH), out.get(0).anomalies());
        assertEquals(0x0101, out.get(1).message().id());
    }

    @Test
    void largestMessageStaysWithinTheBufferCap() {
        // A 65535-byte message: header, one question, and one TXT answer filling the rest.
        Wire w = Wire.header(5, 0x8180, 1, 1, 0, 0).question("big.test", 16);
        int rdlen = 65535 - (w.pos() + 2 + 10);
        w.ptr(12).rr(16, 1, rdlen);
        int left = rdlen;
        while (left > 0) {
            int n = Math.min(255, left - 1);
            w.u8(n).bytes(new byte[n]);
            left -= n + 1;
        }
        byte[] msg = w.build();
        assertEquals(65535, msg.length);
        byte[] stream = framed(msg);
        DnsTcpFramer f = new DnsTcpFramer();
        List<DnsParse> out = new ArrayList<>();
        for (int p = 0; p < stream.length; p += 1000) {
            f.feed(stream, p, Math.min(1000, stream.length - p), out::add);
            assertTrue(f.buffered() <= DnsTcpFramer.MAX_BUFFER);
        }
        assertEquals(1, out.size());
        assertTrue(out.get(0).complete(), out.get(0).anomalies()::toString);
        assertEquals(DnsDissector.parse(msg, 0, msg.length), out.get(0));
    }

    @Test
    void gapDropsThePartialMessageAndResyncs() {
        byte[] stream = framed(R);
        DnsTcpFramer f = new DnsTcpFramer();
        List<DnsParse> out = new ArrayList<>();
        f.feed(stream, 0, 10, out::add);
        assertEquals(10, f.buffered());
        f.gap();
        assertEquals(0, f.buffered());
        // Mid-message bytes after the gap: not plausible, dropped, reported once.
        f.feed(stream, 10, 5, out::add);
        f.feed(stream, 15, 5, out::add);
        assertEquals(1, out.size());
        assertEquals(List.of(DnsAnomaly.TCP_RESYNC_FAILED), out.get(0).anomalies());
        // A fresh message starting a feed resyncs.
        byte[] next = framed(Q, R);
        f.feed(next, 0, next.length, out::add);
        assertEquals(3, out.size());
        assertEquals(0x0101, out.get(1).message().id());
        assertTrue(out.get(2).complete());
    }

    @Test
    void corpusTcpMessages() throws Exception {
        int n = 0;
        for (CorpusRow row : CorpusRow.fixture()) {
            if (row.tcp() == null) {
                continue;
            }
            n++;
            byte[] s = row.tcp();
            List<DnsParse> whole = new ArrayList<>();
            new DnsTcpFramer().feed(s, 0, s.length, whole::add);
            for (int cut = 1; cut < s.length; cut++) {
                List<DnsParse> got = new ArrayList<>();
                DnsTcpFramer f = new DnsTcpFramer();
                f.feed(s, 0, cut, got::add);
                assertTrue(got.isEmpty());
                f.feed(s, cut, s.length - cut, got::add);
                assertEquals(whole, got);
            }
        }
        assertEquals(2, n);
    }
}
