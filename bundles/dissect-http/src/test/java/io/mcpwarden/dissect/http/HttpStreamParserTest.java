package io.mcpwarden.dissect.http;

import static io.mcpwarden.dissect.http.Recorder.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class HttpStreamParserTest {
    static final long[] SEEDS = {0, 1, 2, 3, 42, 1234, 99991};

    /** Parses one-shot, byte by byte and in seeded random splits; all transcripts must agree. */
    static Recorder parse(Side side, int cap, String in, boolean end, String... expect) {
        return parse(side, cap, ascii(in), end, expect);
    }

    static Recorder parse(Side side, int cap, byte[] in, boolean end, String... expect) {
        Recorder one = Recorder.oneShot(side, cap, in, end, expect);
        for (long seed : SEEDS) {
            Recorder r = Recorder.split(side, cap, in, end, seed, expect);
            assertEquals(one.log, r.log, "split seed " + seed);
        }
        return one;
    }

    @Test
    void simpleGetHeadersCaseAndLookup() {
        Recorder r = parse(Side.REQUEST, 1024,
                "GET /mcp?x=1 HTTP/1.1\r\nHost: api.example.test:3001\r\nX-Mixed-Case:  v a l  \r\nhost: second\r\n\r\n",
                false);
        assertEquals(1, r.requests.size());
        HttpRequestHead h = r.requests.get(0);
        assertEquals("GET", h.method());
        assertEquals("/mcp?x=1", h.target());
        assertEquals("HTTP/1.1", h.version());
        assertEquals(List.of(new HttpHeader("Host", "api.example.test:3001"), new HttpHeader("X-Mixed-Case", "v a l"),
                new HttpHeader("host", "second")), h.headers());
        assertEquals("api.example.test:3001", h.header("HOST"));
        assertNull(h.header("Content-Length"));
        assertEquals(1, r.ends.size());
        assertTrue(r.ends.get(0).complete());
        assertEquals(0, r.ends.get(0).bodyBytes());
        assertTrue(r.anomalies.isEmpty());
    }

    @Test
    void postWithContentLengthAndBareLf() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\"}";
        Recorder r = parse(Side.REQUEST, 1024,
                "POST /mcp HTTP/1.1\nContent-Type: application/json\nContent-Length: " + body.length() + "\n\n" + body, false);
        assertEquals("POST", r.requests.get(0).method());
        assertEquals(body, r.bodies.get(0));
        assertEquals(body, new String(r.ends.get(0).bodyPrefix(), StandardCharsets.UTF_8));
        assertEquals(body.length(), r.ends.get(0).bodyBytes());
        assertTrue(r.ends.get(0).complete());
        assertTrue(r.anomalies.isEmpty());
    }

    @Test
    void bodyCapKeepsPrefixButDeliversAll() {
        Recorder r = parse(Side.REQUEST, 4, "PUT /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", false);
        HttpMessageEnd e = r.ends.get(0);
        assertArrayEquals(ascii("0123"), e.bodyPrefix());
        assertTrue(e.bodyTruncated());
        assertEquals(10, e.bodyBytes());
        assertEquals("0123456789", r.bodies.get(0));
        Recorder z = parse(Side.REQUEST, 0, "PUT /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", false);
        assertEquals(0, z.ends.get(0).bodyPrefix().length);
        assertTrue(z.ends.get(0).bodyTruncated());
    }

    @Test
    void chunkedWithExtensionsAndTrailers() {
        String in = "POST /up HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "5;name=value;quoted=\"a;b\"\r\nhello\r\n"
                + "000000000000000000000006 ; ext\r\n world\r\n"
                + "A\r\n0123456789\r\n"
                + "0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
                + "GET /next HTTP/1.1\r\n\r\n";
        Recorder r = parse(Side.REQUEST, 1024, in, false);
        assertEquals(2, r.requests.size());
        assertEquals("hello world0123456789", r.bodies.get(0));
        assertEquals(21, r.ends.get(0).bodyBytes());
        assertTrue(r.ends.get(0).complete());
        assertEquals("/next", r.requests.get(1).target());
        assertTrue(r.anomalies.isEmpty(), r.anomalies.toString());
    }

    @Test
    void chunkSizeSplitAcrossFeeds() {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(Side.RESPONSE, r, 100);
        p.expectResponseTo("POST");
        feed(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1");
        feed(p, "0\r");
        feed(p, "\n0123456789abcdef\r");
        assertTrue(r.ends.isEmpty());
        feed(p, "\n0\r\n\r\n");
        assertEquals(1, r.ends.size());
        assertEquals(16, r.ends.get(0).bodyBytes());
        assertEquals("0123456789abcdef", r.bodies.get(0));
    }

    private static void feed(HttpStreamParser p, String s) {
        byte[] b = ascii(s);
        p.feed(b, 0, b.length);
    }

    @Test
    void badChunks() {
        Recorder r = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false);
        assertEquals(List.of(HttpAnomalies.INVALID_CHUNK_SIZE), r.anomalies);
        assertFalse(r.ends.get(0).complete());
        r = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", false);
        assertEquals(List.of(HttpAnomalies.CHUNK_SIZE_TOO_LARGE), r.anomalies);
        r = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY", false);
        assertEquals(List.of(HttpAnomalies.INVALID_CHUNK_TERMINATOR), r.anomalies);
        r = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(5000) + "\r\n", false);
        assertEquals(List.of(HttpAnomalies.CHUNK_LINE_TOO_LONG), r.anomalies);
        // 15 significant digits are accepted (below the cap), leading zeros do not count
        r = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000000fffffffffffffff\r\nab", true);
        assertTrue(r.anomalies.isEmpty());
        assertFalse(r.ends.get(0).complete());
        assertEquals(2, r.ends.get(0).bodyBytes());
    }

    @Test
    void pipelinedRequestsInOneSlice() {
        String in = "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nab"
                + "GET /b HTTP/1.1\r\n\r\n"
                + "\r\n" // stray CRLF between messages (RFC 9112 §2.2)
                + "DELETE /c HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
        Recorder r = parse(Side.REQUEST, 64, in, true);
        assertEquals(List.of("POST /a", "GET /b", "DELETE /c"),
                r.requests.stream().map(h -> h.method() + " " + h.target()).toList());
        assertEquals(3, r.ends.size());
        assertTrue(r.ends.stream().allMatch(HttpMessageEnd::complete));
        assertEquals(List.of("ab", "", ""), r.bodies);
        assertTrue(r.anomalies.isEmpty());
    }

    @Test
    void hundredContinueThenFinalResponse() {
        String in = "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx";
        Recorder r = parse(Side.RESPONSE, 64, in, false, "POST", "GET");
        assertEquals(List.of(100, 200, 404), r.responses.stream().map(HttpResponseHead::status).toList());
        assertEquals("Continue", r.responses.get(0).reason());
        assertEquals(List.of("", "abc", "x"), r.bodies);
        assertEquals(3, r.ends.size());
    }

    @Test
    void headResponseHasNoBody() {
        String in = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/html\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        Recorder r = parse(Side.RESPONSE, 64, in, false, "HEAD", "GET");
        assertEquals(2, r.ends.size());
        assertEquals(0, r.ends.get(0).bodyBytes());
        assertEquals("ok", r.bodies.get(1));
        assertTrue(r.anomalies.isEmpty());
        // without the HEAD expectation the same bytes are framed differently
        Recorder g = parse(Side.RESPONSE, 64, in, false, "GET", "GET");
        assertEquals(1, g.responses.size());
        assertTrue(g.ends.isEmpty());
    }

    @Test
    void noBodyFor204And304() {
        String in = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
        Recorder r = parse(Side.RESPONSE, 64, in, false, "POST", "GET", "POST");
        assertEquals(List.of(204, 304, 202), r.responses.stream().map(HttpResponseHead::status).toList());
        assertTrue(r.ends.stream().allMatch(e -> e.complete() && e.bodyBytes() == 0));
    }

    @Test
    void closeDelimitedResponse() {
        String in = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nline one\nline two\n";
        Recorder open = parse(Side.RESPONSE, 64, in, false, "GET");
        assertTrue(open.ends.isEmpty());
        Recorder r = parse(Side.RESPONSE, 64, in, true, "GET");
        assertEquals(1, r.ends.size());
        assertTrue(r.ends.get(0).complete());
        assertEquals("line one\nline two\n", r.bodies.get(0));
    }

    @Test
    void lengthBodyCutShortByEndIsIncomplete() {
        Recorder r = parse(Side.RESPONSE, 64, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true, "GET");
        assertFalse(r.ends.get(0).complete());
        assertEquals(3, r.ends.get(0).bodyBytes());
        Recorder h = parse(Side.RESPONSE, 64, "HTTP/1.1 200 OK\r\nContent-Le", true, "GET");
        assertEquals(List.of(HttpAnomalies.TRUNCATED_HEAD), h.anomalies);
        assertTrue(h.responses.isEmpty());
    }

    @Test
    void connectionCloseThenMoreData() {
        String in = "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n\r\n";
        Recorder r = parse(Side.RESPONSE, 64, in, false, "GET", "GET");
        assertEquals(1, r.responses.size());
        assertEquals(List.of(HttpAnomalies.DATA_AFTER_CLOSE), r.anomalies);
    }

    @Test
    void contentLengthConflictsAndDuplicates() {
        Recorder r = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", false);
        assertEquals(List.of(HttpAnomalies.CONFLICTING_CONTENT_LENGTH), r.anomalies);
        assertEquals(1, r.requests.size()); // the head is still reported
        assertFalse(r.ends.get(0).complete());
        assertTrue(parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n", false)
                .anomalies.contains(HttpAnomalies.CONFLICTING_CONTENT_LENGTH));
        Recorder same = parse(Side.REQUEST, 64,
                "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3,3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n", false);
        assertTrue(same.anomalies.isEmpty());
        assertEquals(2, same.requests.size());
        for (String bad : new String[] {"-1", "+3", "0x10", "", "1 2", "9999999999999999999"}) {
            Recorder b = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nContent-Length: " + bad + "\r\n\r\n", false);
            assertEquals(List.of(HttpAnomalies.INVALID_CONTENT_LENGTH), b.anomalies, bad);
        }
    }

    @Test
    void transferEncodingAndContentLength() {
        Recorder r = parse(Side.REQUEST, 64,
                "POST / HTTP/1.1\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", true);
        assertEquals(List.of(HttpAnomalies.TE_AND_CL), r.anomalies);
        assertEquals("abc", r.bodies.get(0));
        assertTrue(r.ends.get(0).complete());
        Recorder bad = parse(Side.REQUEST, 64, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", false);
        assertEquals(List.of(HttpAnomalies.INVALID_TRANSFER_ENCODING), bad.anomalies);
        // a response whose final coding is not chunked is read until close (RFC 9112 §6.3 rule 4)
        Recorder resp = parse(Side.RESPONSE, 64, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz", true, "GET");
        assertTrue(resp.ends.get(0).complete());
        assertEquals(3, resp.ends.get(0).bodyBytes());
    }

    @Test
    void oversizedHeaderSectionStops() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        while (sb.length() <= HttpStreamParser.HEADER_SECTION_CAP) {
            sb.append("X-Filler: ").append("a".repeat(1000)).append("\r\n");
        }
        sb.append("\r\n");
        Recorder r = parse(Side.REQUEST, 64, sb.toString(), true);
        assertEquals(List.of(HttpAnomalies.HEADER_TOO_LONG), r.anomalies);
        assertTrue(r.requests.isEmpty());
        // one very long line without LF also stops at the cap
        Recorder l = parse(Side.REQUEST, 64, "GET /" + "a".repeat(HttpStreamParser.HEADER_SECTION_CAP + 10), false);
        assertEquals(List.of(HttpAnomalies.HEADER_TOO_LONG), l.anomalies);
    }

    @Test
    void tooManyHeadersStops() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < HttpStreamParser.HEADER_COUNT_CAP; i++) {
            sb.append("X-H").append(i).append(": v\r\n");
        }
        Recorder ok = parse(Side.REQUEST, 64, sb + "\r\n", false);
        assertEquals(HttpStreamParser.HEADER_COUNT_CAP, ok.requests.get(0).headers().size());
        Recorder r = parse(Side.REQUEST, 64, sb + "X-One-More: v\r\n\r\n", false);
        assertEquals(List.of(HttpAnomalies.TOO_MANY_HEADERS), r.anomalies);
    }

    @Test
    void malformedFieldLines() {
        Recorder r = parse(Side.REQUEST, 64,
                "GET / HTTP/1.1\r\nGood: 1\r\nNo colon here\r\nBad Name: 2\r\nSpace : 3\r\nFolded: a\r\n  b\r\nNul: x\0y\r\n\r\n", false);
        assertEquals(List.of(new HttpHeader("Good", "1"), new HttpHeader("Folded", "a b"), new HttpHeader("Nul", "x y")),
                r.requests.get(0).headers());
        assertEquals(List.of(HttpAnomalies.INVALID_HEADER, HttpAnomalies.INVALID_HEADER, HttpAnomalies.INVALID_HEADER,
                HttpAnomalies.OBS_FOLD, HttpAnomalies.INVALID_HEADER_VALUE), r.anomalies);
    }

    @Test
    void garbageFailsFast() {
        byte[] tls = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(Side.REQUEST, r, 64);
        p.feed(tls, 0, 1);
        assertTrue(p.failed());
        assertEquals(List.of(HttpAnomalies.INVALID_REQUEST_LINE), r.anomalies);
        p.feed(tls, 1, tls.length - 1);
        p.gap();
        p.end();
        assertTrue(p.failed());
        assertEquals(1, r.anomalies.size());

        Recorder s = parse(Side.RESPONSE, 64, "SSH-2.0-OpenSSH_9.2\r\n", false, "GET");
        assertEquals(List.of(HttpAnomalies.INVALID_STATUS_LINE), s.anomalies);
        for (String bad : new String[] {"GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "GET /a b HTTP/1.1\r\n\r\n",
                "GET /\r\n\r\n", "get / HTTP/1.1\r\n\r\n"}) {
            assertEquals(List.of(HttpAnomalies.INVALID_REQUEST_LINE), parse(Side.REQUEST, 64, bad, true).anomalies, bad);
        }
        for (String bad : new String[] {"HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n", "HTTP/2 200\r\n\r\n"}) {
            assertEquals(List.of(HttpAnomalies.INVALID_STATUS_LINE), parse(Side.RESPONSE, 64, bad, true).anomalies, bad);
        }
        Recorder noReason = parse(Side.RESPONSE, 64, "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false);
        assertEquals("", noReason.responses.get(0).reason());
    }

    @Test
    void gapMidBodyThenResyncOnNextRequest() {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(Side.REQUEST, r, 64);
        feed(p, "POST /first HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"partial\":");
        p.gap();
        assertEquals(1, r.ends.size());
        assertFalse(r.ends.get(0).complete());
        // the bytes after the gap start mid-body; a plausible request line follows a LF
        feed(p, "tail of body\"} GET /not-at-line-start HTTP/1.1\nmore junk\r\nGET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(List.of("/first", "/second"), r.requests.stream().map(HttpRequestHead::target).toList());
        assertTrue(r.ends.get(1).complete());
        assertFalse(p.failed());
    }

    @Test
    void gapMidChunkThenResyncAtSegmentStartOnResponseSide() {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(Side.RESPONSE, r, 64);
        p.expectResponseTo("POST");
        p.expectResponseTo("POST");
        feed(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\nabc");
        p.gap();
        feed(p, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        assertEquals(List.of(200, 202), r.responses.stream().map(HttpResponseHead::status).toList());
        assertEquals(List.of(false, true), r.ends.stream().map(HttpMessageEnd::complete).toList());
        // a gap inside a head drops it silently and resyncs too
        p.expectResponseTo("GET");
        feed(p, "HTTP/1.1 500 Int");
        p.gap();
        feed(p, "ernal Error\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(List.of(200, 202, 204), r.responses.stream().map(HttpResponseHead::status).toList());
    }

    @Test
    void switchingProtocolsAndConnectEndHttp() {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(Side.RESPONSE, r, 64);
        p.expectResponseTo("GET");
        feed(p, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello");
        assertTrue(p.tunnelled());
        assertFalse(p.failed());
        assertEquals(1, r.ends.size());
        assertTrue(r.anomalies.isEmpty());

        Recorder c = new Recorder();
        HttpStreamParser q = new HttpStreamParser(Side.RESPONSE, c, 64);
        q.expectResponseTo("CONNECT");
        byte[] tls = {0x16, 0x03, 0x01, 0x00, 0x05};
        feed(q, "HTTP/1.1 200 Connection Established\r\n\r\n");
        q.feed(tls, 0, tls.length);
        assertTrue(q.tunnelled());
        assertTrue(c.anomalies.isEmpty());

        Recorder rq = new Recorder();
        HttpStreamParser req = new HttpStreamParser(Side.REQUEST, rq, 64);
        feed(req, "CONNECT api.example.test:443 HTTP/1.1\r\nHost: api.example.test:443\r\n\r\n");
        req.feed(tls, 0, tls.length);
        assertTrue(req.tunnelled());
        assertTrue(rq.anomalies.isEmpty());

        // an upgrade request followed by non-HTTP bytes: the request side stops quietly
        Recorder up = new Recorder();
        HttpStreamParser u = new HttpStreamParser(Side.REQUEST, up, 64);
        feed(u, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0085abcd");
        assertTrue(u.tunnelled());
        assertTrue(up.anomalies.isEmpty());
        // while an upgrade request followed by HTTP is parsed normally
        Recorder up2 = parse(Side.REQUEST, 64, "GET /ws HTTP/1.1\r\nUpgrade: h2c\r\n\r\nGET /next HTTP/1.1\r\n\r\n", false);
        assertEquals(2, up2.requests.size());
    }

    @Test
    void pendingQueueIsBounded() {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(Side.RESPONSE, r, 64);
        for (int i = 0; i <= HttpStreamParser.PENDING_REQUESTS_CAP; i++) {
            p.expectResponseTo("GET");
        }
        assertEquals(List.of(HttpAnomalies.TOO_MANY_PENDING_REQUESTS), r.anomalies);
    }
}
