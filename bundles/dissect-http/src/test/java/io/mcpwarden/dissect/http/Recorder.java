package io.mcpwarden.dissect.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test listener: records every callback; a transcript of strings makes runs comparable. */
final class Recorder implements HttpListener {
    final List<String> log = new ArrayList<>();
    final List<HttpRequestHead> requests = new ArrayList<>();
    final List<HttpResponseHead> responses = new ArrayList<>();
    final List<SseEvent> events = new ArrayList<>();
    final List<HttpMessageEnd> ends = new ArrayList<>();
    final List<String> anomalies = new ArrayList<>();
    /** Decoded body bytes of the current message, as delivered through onBody. */
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<String> bodies = new ArrayList<>();

    @Override
    public void onRequestHead(HttpRequestHead h) {
        requests.add(h);
        log.add("req " + h);
    }

    @Override
    public void onResponseHead(HttpResponseHead h) {
        responses.add(h);
        log.add("resp " + h);
    }

    @Override
    public void onBody(byte[] buf, int off, int len) {
        body.write(buf, off, len);
    }

    @Override
    public void onSseEvent(SseEvent e) {
        events.add(e);
        log.add("sse " + e);
    }

    @Override
    public void onMessageEnd(HttpMessageEnd end) {
        ends.add(end);
        String b = body.toString(StandardCharsets.ISO_8859_1);
        bodies.add(b);
        body.reset();
        log.add("end " + end.complete() + " " + end.bodyBytes() + " " + end.bodyTruncated() + " " + end.sseEvents()
                + " prefix=" + new String(end.bodyPrefix(), StandardCharsets.ISO_8859_1) + " body=" + b);
    }

    @Override
    public void onAnomaly(String name) {
        anomalies.add(name);
        log.add("anomaly " + name);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds the whole input at once, then calls end() when asked. */
    static Recorder oneShot(Side side, int cap, byte[] in, boolean end, String... expect) {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(side, r, cap);
        for (String m : expect) {
            p.expectResponseTo(m);
        }
        p.feed(in, 0, in.length);
        if (end) {
            p.end();
        }
        return r;
    }

    /** Feeds in slices: size 1 when seed is 0, else random sizes 1..17 from the seed. */
    static Recorder split(Side side, int cap, byte[] in, boolean end, long seed, String... expect) {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(side, r, cap);
        for (String m : expect) {
            p.expectResponseTo(m);
        }
        Random rnd = new Random(seed);
        int i = 0;
        while (i < in.length) {
            int n = seed == 0 ? 1 : Math.min(in.length - i, 1 + rnd.nextInt(17));
            // copy into a fresh, larger array at an offset so that off/len handling is exercised
            byte[] slice = new byte[n + 6];
            System.arraycopy(in, i, slice, 3, n);
            p.feed(slice, 3, n);
            i += n;
        }
        if (end) {
            p.end();
        }
        return r;
    }
}
