package io.mcpwarden.dissect.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental {@code text/event-stream} interpreter, WHATWG HTML §9.2.6 "Interpreting an event
 * stream": lines end with CRLF, LF or CR; a leading UTF-8 BOM is ignored; {@code :} starts a
 * comment; {@code data} values accumulate with LF; {@code event}, {@code id} and {@code retry}
 * set state; a blank line dispatches. One SP after the colon is removed. An event whose data
 * buffer is empty is not dispatched. An unterminated event at end of stream is discarded.
 *
 * <p>Bounded: a line longer than {@link HttpStreamParser#SSE_LINE_CAP} or event data longer than
 * {@link HttpStreamParser#SSE_EVENT_DATA_CAP} reports {@link HttpAnomalies#SSE_EVENT_TOO_LARGE}
 * and the event is discarded up to its blank line.
 */
public final class SseParser {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final HttpListener listener;
    private final int lineCap;
    private final int dataCap;

    private byte[] line = new byte[128];
    private int lineLen;
    private boolean lineOverflow;
    private boolean lastWasCr;
    private int bomPos;          // bytes of BOM matched so far at stream start; -1 once decided
    private final ByteArrayOutputStream bomHeld = new ByteArrayOutputStream(3);

    private final StringBuilder data = new StringBuilder();
    private int dataBytes;
    private boolean hasData;
    private String eventType = "";
    private String lastEventId = "";
    private boolean discardEvent;
    private int dispatched;

    /**
     * A parser for an event stream carried outside {@link HttpStreamParser} (e.g. the DATA of an HTTP/2
     * stream), with the caps {@link HttpStreamParser} uses; events go to {@link HttpListener#onSseEvent}.
     */
    public SseParser(HttpListener listener) {
        this(listener, HttpStreamParser.SSE_LINE_CAP, HttpStreamParser.SSE_EVENT_DATA_CAP);
    }

    SseParser(HttpListener listener, int lineCap, int dataCap) {
        this.listener = listener;
        this.lineCap = lineCap;
        this.dataCap = dataCap;
    }

    /** @return events dispatched so far */
    public int dispatched() {
        return dispatched;
    }

    /** The next bytes of the stream, in order. Never throws on any content. */
    public void feed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        // Strip a leading BOM, which may arrive split across feeds.
        while (bomPos >= 0 && i < end) {
            if (b[i] == BOM[bomPos]) {
                bomHeld.write(b[i]);
                i++;
                bomPos++;
                if (bomPos == BOM.length) {
                    bomPos = -1;
                    bomHeld.reset();
                }
            } else {
                bomPos = -1;
                byte[] held = bomHeld.toByteArray();
                bomHeld.reset();
                scan(held, 0, held.length);
            }
        }
        scan(b, i, end - i);
    }

    private void scan(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            byte c = b[i];
            if (lastWasCr) {
                lastWasCr = false;
                if (c == '\n') {
                    i++;
                    continue;
                }
            }
            // Find the next line terminator.
            int j = i;
            while (j < end && b[j] != '\n' && b[j] != '\r') {
                j++;
            }
            append(b, i, j - i);
            if (j == end) {
                return;
            }
            lastWasCr = b[j] == '\r';
            i = j + 1;
            endOfLine();
        }
    }

    private void append(byte[] b, int off, int n) {
        if (n == 0 || lineOverflow) {
            return;
        }
        if (n > lineCap - lineLen) {
            lineOverflow = true;
            return;
        }
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.min(lineCap, Math.max(line.length * 2, lineLen + n)));
        }
        System.arraycopy(b, off, line, lineLen, n);
        lineLen += n;
    }

    private void endOfLine() {
        if (lineOverflow) {
            lineOverflow = false;
            lineLen = 0;
            tooLarge();
            return;
        }
        if (lineLen == 0) {
            if (line.length > 65536) {
                line = new byte[128]; // give back memory after a very long line
            }
            dispatch();
            return;
        }
        int n = lineLen;
        lineLen = 0;
        if (discardEvent || line[0] == ':') {
            return; // comment, or rest of a discarded event
        }
        int colon = -1;
        for (int k = 0; k < n; k++) {
            if (line[k] == ':') {
                colon = k;
                break;
            }
        }
        String field;
        int vStart;
        if (colon < 0) {
            field = new String(line, 0, n, StandardCharsets.UTF_8);
            vStart = n;
        } else {
            field = new String(line, 0, colon, StandardCharsets.UTF_8);
            vStart = colon + 1;
            if (vStart < n && line[vStart] == ' ') {
                vStart++;
            }
        }
        int vLen = n - vStart;
        switch (field) {
            case "event" -> eventType = new String(line, vStart, vLen, StandardCharsets.UTF_8);
            case "data" -> {
                if ((long) dataBytes + vLen + 1 > dataCap) {
                    tooLarge();
                    return;
                }
                data.append(new String(line, vStart, vLen, StandardCharsets.UTF_8)).append('\n');
                dataBytes += vLen + 1;
                hasData = true;
            }
            case "id" -> {
                String v = new String(line, vStart, vLen, StandardCharsets.UTF_8);
                if (v.indexOf('\0') < 0) {
                    lastEventId = v;
                }
            }
            default -> {
                // "retry" only tunes reconnection; other fields are ignored by the spec.
            }
        }
    }

    private void tooLarge() {
        if (!discardEvent) {
            listener.onAnomaly(HttpAnomalies.SSE_EVENT_TOO_LARGE);
        }
        discardEvent = true;
        data.setLength(0);
        data.trimToSize();
        dataBytes = 0;
        hasData = false;
    }

    private void dispatch() {
        boolean skip = discardEvent || !hasData;
        discardEvent = false;
        if (skip) {
            data.setLength(0);
            dataBytes = 0;
            hasData = false;
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1); // drop the final LF
        String type = eventType.isEmpty() ? "message" : eventType;
        SseEvent e = new SseEvent(type, data.toString(), lastEventId.isEmpty() ? null : lastEventId);
        data.setLength(0);
        if (data.capacity() > 65536) {
            data.trimToSize();
        }
        dataBytes = 0;
        hasData = false;
        eventType = "";
        dispatched++;
        listener.onSseEvent(e);
    }
}
