package io.mcpwarden.dissect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds the reassembled HTTP streams of the labelled corpus captures (as printed by tshark) to a
 * request and a response parser per stream, and checks the result against tshark's own HTTP
 * fields and against the capture's label file (SSE counts, names and completeness).
 */
class CorpusTest {
    static final Path TSHARK = Path.of("/usr/bin/tshark");

    static Path corpus() {
        String shared = System.getProperty("warden.shared");
        Path base = shared != null ? Path.of(shared) : Path.of("/work/shared");
        return base.resolve("corpus/mcp");
    }

    /** One direction's segments in capture order. */
    record Stream(List<byte[]> client, List<byte[]> server) {
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** tshark's HTTP fields per stream: "REQ method uri host" / "RESP code ctype" rows in frame order. */
    static Map<Integer, List<String>> tsharkHttp(Path pcap) throws Exception {
        String out = run(TSHARK.toString(), "-r", pcap.toString(), "-Y", "http", "-T", "fields", "-E", "aggregator=|",
                "-e", "tcp.stream", "-e", "http.request.method", "-e", "http.request.uri", "-e", "http.host",
                "-e", "http.response.code", "-e", "http.content_type");
        Map<Integer, List<String>> rows = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            int stream = Integer.parseInt(f[0]);
            List<String> l = rows.computeIfAbsent(stream, k -> new ArrayList<>());
            String[] methods = f[1].isEmpty() ? new String[0] : f[1].split("\\|");
            String[] uris = f[2].split("\\|");
            String[] hosts = f[3].split("\\|");
            for (int k = 0; k < methods.length; k++) {
                l.add("REQ " + methods[k] + " " + uris[k] + " " + (k < hosts.length ? hosts[k] : ""));
            }
            if (!f[4].isEmpty()) {
                String[] codes = f[4].split("\\|");
                String[] types = f[5].split("\\|");
                for (int k = 0; k < codes.length; k++) {
                    l.add("RESP " + codes[k] + " " + (k < types.length ? types[k] : ""));
                }
            }
        }
        return rows;
    }

    static Map<Integer, Stream> follow(Path pcap, Iterable<Integer> ids) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(TSHARK.toString(), "-r", pcap.toString(), "-q"));
        for (int id : ids) {
            cmd.add("-z");
            cmd.add("follow,tcp,raw," + id);
        }
        String out = run(cmd.toArray(String[]::new));
        Map<Integer, Stream> streams = new TreeMap<>();
        Stream cur = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("Filter: tcp.stream eq ")) {
                cur = new Stream(new ArrayList<>(), new ArrayList<>());
                streams.put(Integer.parseInt(line.substring("Filter: tcp.stream eq ".length()).strip()), cur);
            } else if (cur != null && line.matches("\t?[0-9a-f]+")) {
                boolean server = line.startsWith("\t");
                byte[] seg = HexFormat.of().parseHex(line.strip());
                (server ? cur.server : cur.client).add(seg);
            }
        }
        return streams;
    }

    /** Parses one stream; the transcript is split-invariant, so a reference split can be replayed. */
    static final class Result {
        final Recorder req = new Recorder();
        final Recorder resp = new Recorder();
        boolean failed;
    }

    static Result parse(Stream s, long seed) {
        Result r = new Result();
        HttpStreamParser rp = new HttpStreamParser(Side.RESPONSE, r.resp, 4096);
        HttpListener reqL = new HttpListener() {
            @Override
            public void onRequestHead(HttpRequestHead h) {
                r.req.onRequestHead(h);
                rp.expectResponseTo(h.method());
            }

            @Override
            public void onBody(byte[] b, int off, int len) {
                r.req.onBody(b, off, len);
            }

            @Override
            public void onMessageEnd(HttpMessageEnd e) {
                r.req.onMessageEnd(e);
            }

            @Override
            public void onAnomaly(String name) {
                r.req.onAnomaly(name);
            }
        };
        HttpStreamParser qp = new HttpStreamParser(Side.REQUEST, reqL, 4096);
        feedAll(qp, s.client, seed);
        feedAll(rp, s.server, seed);
        qp.end();
        rp.end();
        r.failed = qp.failed() || rp.failed();
        return r;
    }

    static void feedAll(HttpStreamParser p, List<byte[]> segs, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        for (byte[] seg : segs) {
            if (seed < 0) {
                p.feed(seg, 0, seg.length); // as captured
            } else {
                int i = 0;
                while (i < seg.length) {
                    int n = Math.min(seg.length - i, 1 + rnd.nextInt(40));
                    p.feed(seg, i, n);
                    i += n;
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1", "P2", "P5", "P11", "N1", "N2", "N4", "N8"})
    @SuppressWarnings("unchecked")
    void corpusAgreesWithTsharkAndLabels(String id) throws Exception {
        assumeTrue(Files.isExecutable(TSHARK), "tshark not installed");
        Path pcap = corpus().resolve(id + ".pcap");
        assumeTrue(Files.isReadable(pcap), "corpus not present");
        Map<Integer, List<String>> http = tsharkHttp(pcap);
        assertFalse(http.isEmpty(), "tshark found HTTP in " + id);
        Map<Integer, Stream> streams = follow(pcap, http.keySet());
        assertEquals(http.keySet(), streams.keySet());

        Map<String, Object> label = (Map<String, Object>) MiniJson.parse(
                Files.readString(corpus().resolve(id + ".json"), StandardCharsets.UTF_8));
        Map<Integer, List<Map<String, Object>>> labelHttp = new TreeMap<>();
        for (Object o : (List<Object>) label.get("expected_events")) {
            Map<String, Object> e = (Map<String, Object>) o;
            if ("http".equals(e.get("event_type"))) {
                labelHttp.computeIfAbsent(((Double) e.get("flow_id")).intValue(), k -> new ArrayList<>()).add(e);
            }
        }

        int totalRequests = 0;
        int totalEvents = 0;
        for (Map.Entry<Integer, Stream> en : streams.entrySet()) {
            int sid = en.getKey();
            String where = id + " stream " + sid;
            Result r = parse(en.getValue(), -1);
            assertFalse(r.failed, where);
            assertEquals(List.of(), r.req.anomalies, where);
            assertEquals(List.of(), r.resp.anomalies, where);
            // split invariance on real traffic
            for (long seed : new long[] {3, 11}) {
                Result s = parse(en.getValue(), seed);
                assertEquals(r.req.log, s.req.log, where + " seed " + seed);
                assertEquals(r.resp.log, s.resp.log, where + " seed " + seed);
            }

            // requests: exactly tshark's
            List<String> tsReq = http.get(sid).stream().filter(x -> x.startsWith("REQ ")).toList();
            List<String> ours = r.req.requests.stream()
                    .map(h -> "REQ " + h.method() + " " + h.target() + " " + nz(h.header("Host"))).toList();
            assertEquals(tsReq, ours, where);
            assertTrue(r.req.ends.stream().allMatch(HttpMessageEnd::complete), where);
            totalRequests += ours.size();

            // responses: tshark shows the completed ones; any extra must be unfinished at close
            List<String> tsResp = http.get(sid).stream().filter(x -> x.startsWith("RESP ")).toList();
            List<String> oursResp = r.resp.responses.stream()
                    .map(h -> "RESP " + h.status() + " " + nz(h.header("Content-Type"))).toList();
            assertTrue(oursResp.size() >= tsResp.size(), where + " " + oursResp);
            assertEquals(tsResp, oursResp.subList(0, tsResp.size()), where);
            for (int k = tsResp.size(); k < r.resp.ends.size(); k++) {
                assertFalse(r.resp.ends.get(k).complete(), where + " extra response " + k);
            }

            // against the label: one http event per final response, same status, content type and SSE summary
            List<Map<String, Object>> lab = labelHttp.getOrDefault(sid, List.of());
            List<Integer> finals = new ArrayList<>();
            for (int k = 0; k < r.resp.responses.size(); k++) {
                if (r.resp.responses.get(k).status() >= 200) {
                    finals.add(k);
                }
            }
            assertEquals(lab.size(), finals.size(), where);
            for (int k = 0; k < lab.size(); k++) {
                Map<String, Object> h = (Map<String, Object>) lab.get(k).get("http");
                HttpResponseHead head = r.resp.responses.get(finals.get(k));
                HttpMessageEnd end = r.resp.ends.get(finals.get(k));
                assertEquals(((Double) h.get("status")).intValue(), head.status(), where);
                assertEquals(h.get("http_content_type"), head.header("Content-Type"), where);
                assertEquals(h.get("http_method"), r.req.requests.get(k).method(), where);
                Map<String, Object> sse = (Map<String, Object>) lab.get(k).get("sse");
                int from = eventsBefore(r.resp, finals.get(k));
                List<SseEvent> evs = r.resp.events.subList(from, from + end.sseEvents());
                if (sse != null) {
                    assertEquals(((Double) sse.get("events")).intValue(), end.sseEvents(), where);
                    assertEquals(sse.get("event_names"),
                            new ArrayList<>(new LinkedHashSet<>(evs.stream().map(SseEvent::event).toList())), where);
                    assertEquals(sse.get("complete"), end.complete(), where);
                } else {
                    assertEquals(0, end.sseEvents(), where);
                }
                totalEvents += end.sseEvents();
            }
        }
        assertTrue(totalRequests > 0, id);
        System.out.printf("corpus %s: %d streams, %d requests, %d SSE events%n", id, streams.size(), totalRequests,
                totalEvents);
    }

    private static int eventsBefore(Recorder r, int msgIndex) {
        int n = 0;
        for (int k = 0; k < msgIndex; k++) {
            n += r.ends.get(k).sseEvents();
        }
        return n;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
