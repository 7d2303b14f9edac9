package io.mcpwarden.dissect.http;

import static io.mcpwarden.dissect.http.Recorder.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseTest {
    /** Wraps an event-stream body in a chunked response, one chunk per given piece. */
    static String chunked(String... pieces) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        for (String p : pieces) {
            sb.append(Integer.toHexString(p.getBytes(StandardCharsets.ISO_8859_1).length)).append("\r\n").append(p).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString();
    }

    static Recorder parse(String in, boolean end) {
        return HttpStreamParserTest.parse(Side.RESPONSE, 256, in, end, "POST");
    }

    @Test
    void eventsAcrossChunkBoundaries() {
        Recorder r = parse(chunked("event: mess", "age\ndata: {\"id\":", "1}\n", "\nda", "ta: second\n\n"), false);
        assertEquals(List.of(new SseEvent("message", "{\"id\":1}", null), new SseEvent("message", "second", null)), r.events);
        assertEquals(2, r.ends.get(0).sseEvents());
        assertTrue(r.ends.get(0).complete());
    }

    @Test
    void lineEndingsCrLfCrlfAndCrlfSplitAcrossChunks() {
        Recorder r = parse(chunked("data: a\r\n\r\n", "data: b\r\r", "data: c\n\n", "data: d\r", "\n\r", "\n"), false);
        assertEquals(List.of("a", "b", "c", "d"), r.events.stream().map(SseEvent::data).toList());
    }

    @Test
    void multiLineDataCommentsFieldsAndDefaults() {
        Recorder r = parse(chunked(": keep-alive comment\n"
                + "data:no space\ndata:  two spaces\ndata\nid: 7\nretry: 3000\nunknown: x\nevent:custom\n\n"
                + "data: after\n\n"
                + "id\ndata: reset id\n\n"), false);
        assertEquals(List.of(new SseEvent("custom", "no space\n two spaces\n", "7"), new SseEvent("message", "after", "7"),
                new SseEvent("message", "reset id", null)), r.events);
    }

    @Test
    void eventWithoutDataIsNotDispatchedAndUnterminatedIsDropped() {
        Recorder r = parse(chunked("event: ping\n\n", "id: 1\n\n", "data: x\n\n", "data: pending"), true);
        assertEquals(List.of(new SseEvent("message", "x", "1")), r.events);
        assertEquals(1, r.ends.get(0).sseEvents());
    }

    @Test
    void legacyEndpointEventOnOpenStream() {
        String in = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "49\r\nevent: endpoint\ndata: /message?sessionId=abc\n\n"
                + "\r\n";
        // fix the chunk size to the real length of the piece
        String piece = "event: endpoint\ndata: /message?sessionId=abc\n\n";
        in = in.replace("49\r\n", Integer.toHexString(piece.length()) + "\r\n");
        Recorder r = HttpStreamParserTest.parse(Side.RESPONSE, 256, in, true, "GET");
        assertEquals(List.of(new SseEvent("endpoint", "/message?sessionId=abc", null)), r.events);
        assertFalse(r.ends.get(0).complete()); // stream still open at close
        assertEquals(1, r.ends.get(0).sseEvents());
    }

    @Test
    void bomAtStreamStartIgnoredOnlyThere() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ascii("HTTP/1.1 200 OK\r\nContent-Type: TEXT/Event-Stream\r\n\r\n"));
        b.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        b.writeBytes("data: caf\u00e9\n\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        b.writeBytes(ascii("data: x\n\n"));
        Recorder r = HttpStreamParserTest.parse(Side.RESPONSE, 256, b.toByteArray(), true, "GET");
        // the second BOM is part of a field name ("\uFEFFdata"), so that event has no data
        assertEquals(List.of(new SseEvent("message", "caf\u00e9", null)), r.events);
    }

    @Test
    void nonEventStreamBodiesAreNotParsedAsEvents() {
        Recorder r = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\ndata: x\n\n", false);
        assertTrue(r.events.isEmpty());
        assertEquals(0, r.ends.get(0).sseEvents());
    }

    @Test
    void oversizedEventIsDiscardedAndStreamContinues() {
        String big = "x".repeat(64 * 1024);
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n");
        sb.append("data: small\n\n");
        for (int i = 0; i <= HttpStreamParser.SSE_EVENT_DATA_CAP / big.length(); i++) {
            sb.append("data: ").append(big).append('\n');
        }
        sb.append("\ndata: ").append("y".repeat(HttpStreamParser.SSE_LINE_CAP)).append("\n\ndata: last\n\n");
        Recorder r = Recorder.oneShot(Side.RESPONSE, 16, ascii(sb.toString()), true, "GET");
        assertEquals(List.of("small", "last"), r.events.stream().map(SseEvent::data).toList());
        assertEquals(List.of(HttpAnomalies.SSE_EVENT_TOO_LARGE, HttpAnomalies.SSE_EVENT_TOO_LARGE), r.anomalies);
        Recorder split = Recorder.split(Side.RESPONSE, 16, ascii(sb.toString()), true, 7, "GET");
        assertEquals(r.log, split.log);
    }
}
