package io.mcpwarden.dissect.http2;

import static io.mcpwarden.dissect.http2.Http2Frames.block;
import static io.mcpwarden.dissect.http2.Http2Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpwarden.dissect.http.HttpHeader;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Frames built by hand (RFC 9113 §4.1), header blocks by Netty's HPACK encoder. */
class Http2ConnectionTest {
    final DefaultHttp2HeadersEncoder clientHpack = new DefaultHttp2HeadersEncoder();
    final DefaultHttp2HeadersEncoder serverHpack = new DefaultHttp2HeadersEncoder();

    @Test
    void requestAndResponseAcrossContinuationAndPadding() throws Exception {
        Recorder r = new Recorder();
        Http2Connection c = new Http2Connection(r);
        ByteArrayOutputStream cl = new ByteArrayOutputStream();
        cl.write(Http2Connection.PREFACE);
        cl.write(frame(4, 0, 0, new byte[0])); // SETTINGS
        byte[] block = block(clientHpack, new DefaultHttp2Headers().method("POST").path("/mcp").scheme("https")
                .authority("example.test").add("user-agent", "ua/1").add("content-type", "application/json"));
        // HEADERS with padding and priority, the rest of the block in a CONTINUATION
        int split = block.length / 2;
        byte[] first = new byte[1 + 5 + split + 3];
        first[0] = 3;
        System.arraycopy(block, 0, first, 6, split);
        cl.write(frame(1, 0x8 | 0x20, 1, first));
        cl.write(frame(9, 0x4, 1, java.util.Arrays.copyOfRange(block, split, block.length)));
        byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[1 + body.length + 4];
        padded[0] = 4;
        System.arraycopy(body, 0, padded, 1, body.length);
        cl.write(frame(0, 0x8 | 0x1, 1, padded));
        byte[] wire = cl.toByteArray();
        for (int i = 0; i < wire.length; i++) {
            c.feed(true, wire, i, 1); // one byte at a time
        }
        ByteArrayOutputStream sv = new ByteArrayOutputStream();
        sv.write(frame(4, 0, 0, new byte[0]));
        sv.write(frame(1, 0x4, 1, block(serverHpack, new DefaultHttp2Headers().status("200")
                .add("content-type", "application/json"))));
        sv.write(frame(0, 0x1, 1, "{}".getBytes(StandardCharsets.UTF_8)));
        c.feed(false, sv.toByteArray(), 0, sv.size());
        assertEquals(List.of(), r.anomalies);
        assertEquals(List.of(
                "headers 1 client end=false [:method=POST, :path=/mcp, :scheme=https, :authority=example.test, "
                        + "user-agent=ua/1, content-type=application/json]",
                "data 1 client end=true " + new String(body, StandardCharsets.UTF_8),
                "headers 1 server end=false [:status=200, content-type=application/json]",
                "data 1 server end=true {}"), r.log);
    }

    @Test
    void badPrefaceStopsTheClientSide() {
        Recorder r = new Recorder();
        Http2Connection c = new Http2Connection(r);
        byte[] b = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        c.feed(true, b, 0, b.length);
        assertEquals(List.of(Http2Anomalies.BAD_PREFACE), r.anomalies);
    }

    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(7);
        for (int round = 0; round < 300; round++) {
            Recorder r = new Recorder();
            Http2Connection c = new Http2Connection(r);
            byte[] b = new byte[rnd.nextInt(4000)];
            rnd.nextBytes(b);
            byte[] p = Http2Connection.PREFACE;
            System.arraycopy(p, 0, b, 0, Math.min(p.length, b.length));
            c.feed(true, b, 0, b.length);
            c.feed(false, b, 0, b.length);
            c.gap(true);
            c.feed(true, b, 0, b.length);
        }
        assertTrue(Http2Connection.looksLikePreface(Http2Connection.PREFACE, 0, 24));
    }


    static final class Recorder implements Http2Listener {
        final List<String> log = new ArrayList<>();
        final List<String> anomalies = new ArrayList<>();

        @Override
        public void onHeaders(int streamId, boolean fromClient, List<HttpHeader> headers, boolean endStream) {
            List<String> h = headers.stream().map(x -> x.name() + "=" + x.value()).toList();
            log.add("headers " + streamId + (fromClient ? " client" : " server") + " end=" + endStream + " " + h);
        }

        @Override
        public void onData(int streamId, boolean fromClient, byte[] buf, int off, int len, boolean endStream) {
            log.add("data " + streamId + (fromClient ? " client" : " server") + " end=" + endStream + " "
                    + new String(buf, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void onReset(int streamId) {
            log.add("reset " + streamId);
        }

        @Override
        public void onAnomaly(String name) {
            anomalies.add(name);
        }
    }
}
