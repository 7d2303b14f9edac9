package io.mcpwarden.dissect.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Incremental HTTP/1.x parser for one direction of a reassembled TCP stream (RFC 9112).
 *
 * <p>Feed it arbitrary slices: a message may arrive one byte at a time and several pipelined
 * messages may arrive in one slice. It reports heads, decoded body bytes, Server-Sent Events
 * (for {@code text/event-stream} responses) and message ends to a {@link HttpListener}. It never
 * throws on wire input: problems are reported as {@link HttpAnomalies} names, after which the
 * parser either goes on or stops ({@link #failed()}). Every buffer is bounded by the caps below.
 *
 * <p>Body framing follows RFC 9112 §6.3: no body for HEAD responses and 1xx/204/304; 101 and a
 * 2xx answer to CONNECT end HTTP on the stream; Transfer-Encoding with final coding
 * {@code chunked} (§7.1, extensions and trailers); Content-Length; otherwise no body for
 * requests and a close-delimited body for responses.
 *
 * <p>Not thread-safe: one parser per stream direction, fed from one thread.
 */
public final class HttpStreamParser {
    /** Most bytes in a header section (start line and fields), and in a trailer section. */
    public static final int HEADER_SECTION_CAP = 64 * 1024;
    /** Most field lines in a header or trailer section. */
    public static final int HEADER_COUNT_CAP = 256;
    /** Most bytes in one chunk-size line, extensions included. */
    public static final int CHUNK_LINE_CAP = 4096;
    /** Most significant hex digits in a chunk size (15 digits: below 2^60). */
    public static final int CHUNK_SIZE_MAX_HEX_DIGITS = 15;
    /** Most digits in a Content-Length value. */
    public static final int CONTENT_LENGTH_MAX_DIGITS = 18;
    /** Most requests queued by {@link #expectResponseTo}. */
    public static final int PENDING_REQUESTS_CAP = 1024;
    /** Largest accepted body cap (bytes kept for {@link HttpMessageEnd#bodyPrefix()}). */
    public static final int BODY_CAP_MAX = 16 * 1024 * 1024;
    /** Most data bytes in one Server-Sent Event. */
    public static final int SSE_EVENT_DATA_CAP = 1024 * 1024;
    /** Most bytes in one event-stream line. */
    public static final int SSE_LINE_CAP = SSE_EVENT_DATA_CAP + 64;

    private static final byte[] NO_BYTES = new byte[0];
    /** Bodies of a known length up to this size get their prefix buffer at once, not by doubling. */
    private static final int PRESIZE_MAX = 64 * 1024;

    private enum State {
        HEAD, BODY_LENGTH, BODY_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, TRAILERS,
        RESYNC, CLOSED, DISCARD, TUNNEL, FAILED, ENDED
    }

    private final Side side;
    private final HttpListener listener;
    private final int bodyCap;
    /** Methods of the requests awaiting a response (response side only; usually one at a time). */
    private final ArrayDeque<String> expected = new ArrayDeque<>(2);

    private State state = State.HEAD;

    // header / trailer section accumulation
    private byte[] head = new byte[256];
    private int headLen;
    private int lineStart;
    private int lineCount;
    private boolean startChecked;
    private boolean upgradePending;

    // chunk-size line
    /** Allocated on the first chunked body: most streams never need it. */
    private byte[] chunkLine;
    private int chunkLineLen;

    // current message
    private boolean inMessage;
    private long remaining;
    private long bodyBytes;
    private byte[] prefix = NO_BYTES;
    private int prefixLen;
    /** False once the listener said it needs no more of this message's body for the prefix. */
    private boolean keepBody = true;
    private SseParser sse;
    private boolean closeAfter;

    // resync
    /** Allocated on the first resynchronisation: most streams never have a gap. */
    private byte[] cand;
    private int candLen;
    private boolean candLineStart;

    private boolean tunnelled;
    private boolean reportedAfterClose;

    /**
     * @param side     which direction this parser reads
     * @param listener receives heads, bodies, events, ends and anomalies
     * @param bodyCap  decoded body bytes kept per message for {@link HttpMessageEnd#bodyPrefix()},
     *                 0 to {@link #BODY_CAP_MAX}
     */
    public HttpStreamParser(Side side, HttpListener listener, int bodyCap) {
        this.side = Objects.requireNonNull(side, "side");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (bodyCap < 0 || bodyCap > BODY_CAP_MAX) {
            throw new IllegalArgumentException("bodyCap must be 0.." + BODY_CAP_MAX + ": " + bodyCap);
        }
        this.bodyCap = bodyCap;
    }

    /**
     * Response side: the next response on this stream answers a request with this method
     * (queued in request order; RFC 9112 §9.3 pipelining). Without an entry, a response is
     * framed as if it answered a GET.
     */
    public void expectResponseTo(String method) {
        if (expected.size() >= PENDING_REQUESTS_CAP) {
            listener.onAnomaly(HttpAnomalies.TOO_MANY_PENDING_REQUESTS);
            return;
        }
        expected.add(method == null ? "GET" : method);
    }

    /**
     * The listener needs no more of the current message's body in {@link HttpMessageEnd#bodyPrefix()}: the
     * bytes kept so far stay, later ones are still counted, passed to {@link HttpListener#onBody} and to the
     * event-stream parser, but not kept. Applies until the next message starts.
     */
    public void stopKeepingBody() {
        keepBody = false;
    }

    /** True once parsing stopped on unrecoverable input; further bytes are ignored, stop feeding. */
    public boolean failed() {
        return state == State.FAILED;
    }

    /**
     * True once HTTP ended on this stream because the protocol switched: a 101 response, a 2xx
     * response to CONNECT, a CONNECT request, or {@link #switchProtocols()}. Further bytes are ignored.
     */
    public boolean tunnelled() {
        return tunnelled;
    }

    /**
     * Request side: the peer's response switched protocols (101 or 2xx to CONNECT), so the bytes
     * after the current request are no longer HTTP. Ignores everything fed from now on.
     */
    public void switchProtocols() {
        if (state == State.FAILED || state == State.ENDED) {
            return;
        }
        if (inMessage) {
            finish(false);
        }
        enterTunnel();
    }

    /** Feeds the next bytes of the stream. Bounds are checked; never throws on content. */
    public void feed(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        consume(buf, off, len);
    }

    /**
     * Bytes are missing here: the current message is abandoned (reported incomplete) and parsing
     * resumes at the next line that looks like a message start.
     */
    public void gap() {
        switch (state) {
            case HEAD, RESYNC -> startResync();
            case BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, TRAILERS -> {
                finish(false);
                startResync();
            }
            case BODY_CLOSE -> {
                finish(false);
                state = State.DISCARD; // nothing can follow a close-delimited body
            }
            default -> {
                // CLOSED, DISCARD, TUNNEL, FAILED, ENDED: nothing to resume
            }
        }
    }

    /** The stream closed: completes a close-delimited body; an unfinished message is reported incomplete. */
    public void end() {
        switch (state) {
            case HEAD -> {
                if (headLen > 0) {
                    listener.onAnomaly(HttpAnomalies.TRUNCATED_HEAD);
                }
            }
            case BODY_CLOSE -> finish(true);
            case BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, TRAILERS -> finish(false);
            default -> {
            }
        }
        if (state != State.FAILED) {
            state = State.ENDED;
        }
    }

    // ---------------------------------------------------------------------------------------

    private void consume(byte[] b, int off, int len) {
        int pos = off;
        final int end = off + len;
        while (pos < end) {
            switch (state) {
                case HEAD, TRAILERS -> pos = readSection(b, pos, end);
                case BODY_LENGTH, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - pos);
                    body(b, pos, n);
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.BODY_LENGTH) {
                            finish(true);
                        } else {
                            state = State.CHUNK_DATA_CR;
                        }
                    }
                }
                case BODY_CLOSE -> {
                    body(b, pos, end - pos);
                    pos = end;
                }
                case CHUNK_SIZE -> pos = readChunkLine(b, pos, end);
                case CHUNK_DATA_CR, CHUNK_DATA_LF -> {
                    // RFC 9112 §7.1: chunk-data CRLF (bare LF tolerated)
                    byte c = b[pos++];
                    if (c == '\r' && state == State.CHUNK_DATA_CR) {
                        state = State.CHUNK_DATA_LF;
                    } else if (c == '\n') {
                        state = State.CHUNK_SIZE;
                    } else {
                        fail(HttpAnomalies.INVALID_CHUNK_TERMINATOR);
                    }
                }
                case RESYNC -> pos = resync(b, pos, end);
                case CLOSED -> {
                    if (!reportedAfterClose) {
                        reportedAfterClose = true;
                        listener.onAnomaly(HttpAnomalies.DATA_AFTER_CLOSE);
                    }
                    pos = end;
                }
                default -> pos = end; // DISCARD, TUNNEL, FAILED, ENDED
            }
        }
    }

    // ----- header and trailer sections (RFC 9112 §2.2, §5, §7.1.2) -----

    private int readSection(byte[] b, int pos, int end) {
        boolean trailers = state == State.TRAILERS;
        int lf = pos;
        while (lf < end && b[lf] != '\n') {
            lf++;
        }
        int n = (lf < end ? lf + 1 : end) - pos;
        if (n > HEADER_SECTION_CAP - headLen) {
            fail(trailers ? HttpAnomalies.TRAILER_TOO_LONG : HttpAnomalies.HEADER_TOO_LONG);
            return end;
        }
        if (headLen + n > head.length) {
            head = Arrays.copyOf(head, Math.min(HEADER_SECTION_CAP, Math.max(head.length * 2, headLen + n)));
        }
        System.arraycopy(b, pos, head, headLen, n);
        headLen += n;
        if (!trailers && !startChecked && !checkStart()) {
            return end;
        }
        if (lf == end) {
            return end;
        }
        // a complete line: head[lineStart .. headLen-1] ends with LF
        int contentEnd = headLen - 1;
        if (contentEnd > lineStart && head[contentEnd - 1] == '\r') {
            contentEnd--;
        }
        if (contentEnd == lineStart) {
            if (!trailers && lineStart == 0) {
                headLen = 0; // RFC 9112 §2.2: ignore empty lines before the start line
                startChecked = false;
            } else if (trailers) {
                resetSection();
                finish(true);
            } else {
                parseHead();
            }
            return lf + 1;
        }
        lineStart = headLen;
        if (++lineCount > HEADER_COUNT_CAP + (trailers ? 0 : 1)) {
            fail(trailers ? HttpAnomalies.TRAILER_TOO_LONG : HttpAnomalies.TOO_MANY_HEADERS);
            return end;
        }
        return lf + 1;
    }

    /** Early check of the start line so that garbage fails fast. False when parsing stopped. */
    private boolean checkStart() {
        if (head[0] == '\r' || head[0] == '\n') {
            return true; // an empty line before the start line, skipped once its LF arrives
        }
        int r = side == Side.REQUEST ? HttpDetect.classifyRequest(head, 0, headLen)
                : HttpDetect.classifyResponse(head, 0, headLen);
        if (r == HttpDetect.YES) {
            startChecked = true;
            upgradePending = false;
            return true;
        }
        if (r == HttpDetect.NO) {
            if (upgradePending) {
                resetSection();
                enterTunnel(); // the request asked to upgrade and the bytes that follow are not HTTP
            } else {
                fail(side == Side.REQUEST ? HttpAnomalies.INVALID_REQUEST_LINE : HttpAnomalies.INVALID_STATUS_LINE);
            }
            return false;
        }
        return true;
    }

    private void resetSection() {
        headLen = 0;
        lineStart = 0;
        lineCount = 0;
        startChecked = false;
        if (head.length > 4096) {
            head = new byte[512];
        }
    }

    private void parseHead() {
        List<String> lines = splitLines();
        resetSection();
        String start = lines.get(0);
        List<HttpHeader> headers = parseFields(lines);
        if (side == Side.REQUEST) {
            parseRequest(start, headers);
        } else {
            parseResponse(start, headers);
        }
    }

    private List<String> splitLines() {
        List<String> lines = new ArrayList<>();
        int s = 0;
        for (int i = 0; i < headLen; i++) {
            if (head[i] == '\n') {
                int e = i;
                if (e > s && head[e - 1] == '\r') {
                    e--;
                }
                if (e > s) {
                    lines.add(new String(head, s, e - s, StandardCharsets.ISO_8859_1));
                }
                s = i + 1;
            }
        }
        return lines;
    }

    /** Field lines after the start line (RFC 9112 §5.1; obs-fold §5.2). */
    private List<HttpHeader> parseFields(List<String> lines) {
        List<HttpHeader> out = new ArrayList<>(lines.size());
        boolean lastValid = false;
        for (int k = 1; k < lines.size(); k++) {
            String line = lines.get(k);
            char c0 = line.charAt(0);
            if (c0 == ' ' || c0 == '\t') {
                listener.onAnomaly(HttpAnomalies.OBS_FOLD);
                if (lastValid) {
                    HttpHeader prev = out.remove(out.size() - 1);
                    String v = (prev.value() + " " + cleanValue(line)).strip();
                    out.add(new HttpHeader(prev.name(), v));
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, 0, colon)) {
                listener.onAnomaly(HttpAnomalies.INVALID_HEADER);
                lastValid = false;
                continue;
            }
            out.add(new HttpHeader(line.substring(0, colon), cleanValue(line.substring(colon + 1))));
            lastValid = true;
        }
        return out;
    }

    /** Trims OWS; CR, NUL and other controls except HTAB become SP (RFC 9110 §5.5). */
    private String cleanValue(String v) {
        String t = v.strip();
        boolean bad = false;
        char[] cs = null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                if (cs == null) {
                    cs = t.toCharArray();
                }
                cs[i] = ' ';
                bad = true;
            }
        }
        if (bad) {
            listener.onAnomaly(HttpAnomalies.INVALID_HEADER_VALUE);
            return new String(cs).strip();
        }
        return t;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTchar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isToken(String s, int from, int to) {
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** HTTP-version = "HTTP/" DIGIT "." DIGIT, major 1 (RFC 9112 §2.3). */
    private static boolean isHttp1(String v) {
        return v.length() == 8 && v.startsWith("HTTP/1.") && Character.isDigit(v.charAt(7)) && v.charAt(7) < 128;
    }

    /** request-line = method SP request-target SP HTTP-version (RFC 9112 §3). */
    private void parseRequest(String start, List<HttpHeader> headers) {
        int sp1 = start.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : start.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 <= sp1 + 1 || start.indexOf(' ', sp2 + 1) >= 0 || !isToken(start, 0, sp1)) {
            fail(HttpAnomalies.INVALID_REQUEST_LINE);
            return;
        }
        String method = start.substring(0, sp1);
        String target = start.substring(sp1 + 1, sp2);
        String version = start.substring(sp2 + 1);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                fail(HttpAnomalies.INVALID_REQUEST_LINE);
                return;
            }
        }
        if (!isHttp1(version)) {
            fail(HttpAnomalies.INVALID_REQUEST_LINE);
            return;
        }
        HttpRequestHead h = new HttpRequestHead(method, target, version, headers);
        beginMessage();
        listener.onRequestHead(h);
        if ("CONNECT".equals(method)) {
            // RFC 9110 §9.3.6: what follows is tunnel data once the server agrees
            finish(true);
            enterTunnel();
            return;
        }
        upgradePending = h.header("Upgrade") != null;
        closeAfter = hasConnectionClose(headers);
        frame(headers, version, true);
    }

    /** status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). */
    private void parseResponse(String start, List<HttpHeader> headers) {
        if (start.length() < 12 || !isHttp1(start.substring(0, 8)) || start.charAt(8) != ' '
                || !Character.isDigit(start.charAt(9)) || !Character.isDigit(start.charAt(10))
                || !Character.isDigit(start.charAt(11)) || start.charAt(9) == '0'
                || (start.length() > 12 && start.charAt(12) != ' ')) {
            fail(HttpAnomalies.INVALID_STATUS_LINE);
            return;
        }
        String version = start.substring(0, 8);
        int status = Integer.parseInt(start.substring(9, 12));
        String reason = start.length() > 13 ? start.substring(13) : "";
        HttpResponseHead h = new HttpResponseHead(status, reason, version, headers);
        String method = expected.peek();
        beginMessage();
        listener.onResponseHead(h);
        if (status >= 100 && status < 200) {
            finish(true);
            if (status == 101) {
                expected.poll();
                enterTunnel();
            }
            return; // other 1xx are interim: the final response follows (RFC 9110 §15.2)
        }
        expected.poll();
        if ("CONNECT".equals(method) && status < 300) {
            finish(true);
            enterTunnel();
            return;
        }
        closeAfter = hasConnectionClose(headers);
        if ("HEAD".equals(method) || status == 204 || status == 304) {
            finish(true);
            return;
        }
        String ct = h.header("Content-Type");
        if (ct != null && isEventStream(ct)) {
            sse = new SseParser(listener, SSE_LINE_CAP, SSE_EVENT_DATA_CAP);
        }
        frame(headers, version, false);
    }

    private static boolean isEventStream(String contentType) {
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
        return media.equalsIgnoreCase("text/event-stream");
    }

    private static boolean hasConnectionClose(List<HttpHeader> headers) {
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase("Connection")) {
                for (String t : h.value().split(",")) {
                    if (t.strip().equalsIgnoreCase("close")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Message body length, RFC 9112 §6.3 rules 3 to 8. */
    private void frame(List<HttpHeader> headers, String version, boolean request) {
        List<String> te = List.of();
        List<String> cl = List.of();
        boolean hasTe = false;
        for (int k = 0, n = headers.size(); k < n; k++) {
            HttpHeader h = headers.get(k);
            if (h.name().equalsIgnoreCase("Transfer-Encoding")) {
                hasTe = true;
                if (te.isEmpty()) {
                    te = new ArrayList<>();
                }
                for (String t : h.value().split(",")) {
                    String s = t.strip();
                    if (!s.isEmpty()) {
                        int semi = s.indexOf(';');
                        te.add((semi < 0 ? s : s.substring(0, semi)).strip().toLowerCase(Locale.ROOT));
                    }
                }
            } else if (h.name().equalsIgnoreCase("Content-Length")) {
                if (cl.isEmpty()) {
                    cl = new ArrayList<>(1);
                }
                for (String t : h.value().split(",", -1)) {
                    cl.add(t.strip());
                }
            }
        }
        if (hasTe) {
            if (!cl.isEmpty()) {
                listener.onAnomaly(HttpAnomalies.TE_AND_CL);
                closeAfter = true; // RFC 9112 §6.1: close after such a message
            }
            boolean chunkedLast = !te.isEmpty() && te.get(te.size() - 1).equals("chunked");
            boolean chunkedOnce = te.stream().filter("chunked"::equals).count() == 1;
            if ("HTTP/1.0".equals(version)) {
                // RFC 9112 §6.1: treat as faulty framing
                fail(HttpAnomalies.INVALID_TRANSFER_ENCODING);
            } else if (chunkedLast && chunkedOnce) {
                state = State.CHUNK_SIZE;
                chunkLineLen = 0;
            } else if (request) {
                fail(HttpAnomalies.INVALID_TRANSFER_ENCODING);
            } else {
                if (!chunkedOnce && te.contains("chunked")) {
                    listener.onAnomaly(HttpAnomalies.INVALID_TRANSFER_ENCODING);
                }
                state = State.BODY_CLOSE;
            }
            return;
        }
        if (!cl.isEmpty()) {
            long value = -1;
            for (String s : cl) {
                long v = parseContentLength(s);
                if (v < 0) {
                    fail(HttpAnomalies.INVALID_CONTENT_LENGTH);
                    return;
                }
                if (value >= 0 && v != value) {
                    fail(HttpAnomalies.CONFLICTING_CONTENT_LENGTH);
                    return;
                }
                value = v;
            }
            if (value == 0) {
                finish(true);
            } else {
                remaining = value;
                state = State.BODY_LENGTH;
            }
            return;
        }
        if (request) {
            finish(true);
        } else {
            state = State.BODY_CLOSE;
        }
    }

    private static long parseContentLength(String s) {
        if (s.isEmpty() || s.length() > CONTENT_LENGTH_MAX_DIGITS) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    // ----- chunked transfer coding (RFC 9112 §7.1) -----

    private int readChunkLine(byte[] b, int pos, int end) {
        int lf = pos;
        while (lf < end && b[lf] != '\n') {
            lf++;
        }
        int n = lf - pos;
        if (n > CHUNK_LINE_CAP - chunkLineLen) {
            fail(HttpAnomalies.CHUNK_LINE_TOO_LONG);
            return end;
        }
        if (chunkLine == null) {
            chunkLine = new byte[CHUNK_LINE_CAP];
        }
        System.arraycopy(b, pos, chunkLine, chunkLineLen, n);
        chunkLineLen += n;
        if (lf == end) {
            return end;
        }
        int len = chunkLineLen;
        chunkLineLen = 0;
        if (len > 0 && chunkLine[len - 1] == '\r') {
            len--;
        }
        // chunk-size = 1*HEXDIG, then [ BWS ; chunk-ext ] ; extensions are ignored
        long size = 0;
        int i = 0;
        int significant = 0;
        while (i < len && hex(chunkLine[i]) >= 0) {
            int d = hex(chunkLine[i]);
            if (significant > 0 || d != 0) {
                significant++;
            }
            if (significant > CHUNK_SIZE_MAX_HEX_DIGITS) {
                fail(HttpAnomalies.CHUNK_SIZE_TOO_LARGE);
                return end;
            }
            size = size * 16 + d;
            i++;
        }
        if (i == 0) {
            fail(HttpAnomalies.INVALID_CHUNK_SIZE);
            return end;
        }
        while (i < len && (chunkLine[i] == ' ' || chunkLine[i] == '\t')) {
            i++;
        }
        if (i < len && chunkLine[i] != ';') {
            fail(HttpAnomalies.INVALID_CHUNK_SIZE);
            return end;
        }
        if (size == 0) {
            state = State.TRAILERS; // last-chunk: trailer section follows
            resetSection();
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return lf + 1;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    // ----- message bookkeeping -----

    private void beginMessage() {
        inMessage = true;
        bodyBytes = 0;
        prefixLen = 0;
        remaining = 0;
        sse = null;
        closeAfter = false;
        keepBody = true;
    }

    private void body(byte[] b, int off, int n) {
        if (n <= 0) {
            return;
        }
        bodyBytes += n;
        // the listener first: it may say that it needs none of this body kept
        listener.onBody(b, off, n);
        int keep = keepBody ? Math.min(n, bodyCap - prefixLen) : 0;
        if (keep > 0) {
            if (prefixLen + keep > prefix.length) {
                long want = Math.max(prefix.length * 2L, Math.max(256, prefixLen + keep));
                if (state == State.BODY_LENGTH && prefixLen + remaining <= PRESIZE_MAX) {
                    // a short body of known length: one buffer of the right size (remaining counts this slice)
                    want = prefixLen + remaining;
                }
                prefix = Arrays.copyOf(prefix, (int) Math.min(bodyCap, want));
            }
            System.arraycopy(b, off, prefix, prefixLen, keep);
            prefixLen += keep;
        }
        if (sse != null) {
            sse.feed(b, off, n);
        }
    }

    private void finish(boolean complete) {
        if (!inMessage) {
            return;
        }
        inMessage = false;
        int events = sse == null ? 0 : sse.dispatched();
        HttpMessageEnd e;
        if (prefixLen == 0) {
            e = new HttpMessageEnd(complete, bodyBytes, NO_BYTES, 0, bodyBytes > bodyCap, events);
        } else {
            // the message end takes the buffer over
            e = new HttpMessageEnd(complete, bodyBytes, prefix, prefixLen, bodyBytes > bodyCap, events);
            prefix = NO_BYTES;
        }
        sse = null;
        prefixLen = 0;
        state = closeAfter && complete ? State.CLOSED : State.HEAD;
        resetSection();
        listener.onMessageEnd(e);
    }

    private void enterTunnel() {
        tunnelled = true;
        state = State.TUNNEL;
    }

    private void fail(String anomaly) {
        listener.onAnomaly(anomaly);
        finish(false);
        state = State.FAILED;
    }

    // ----- resynchronisation after a gap -----

    private void startResync() {
        if (cand == null) {
            cand = new byte[HttpDetect.MAX_PROBE];
        }
        resetSection();
        state = State.RESYNC;
        candLen = 0;
        candLineStart = true; // a gap usually ends on a segment boundary: try here first
        upgradePending = false;
    }

    /** Looks for a line that starts like a message of this side; skips everything else. */
    private int resync(byte[] b, int pos, int end) {
        while (pos < end) {
            byte c = b[pos++];
            if (c == '\n') {
                candLineStart = true;
                candLen = 0;
                continue;
            }
            if (!candLineStart) {
                continue;
            }
            cand[candLen++] = c;
            int r = side == Side.REQUEST ? HttpDetect.classifyRequest(cand, 0, candLen)
                    : HttpDetect.classifyResponse(cand, 0, candLen);
            if (r == HttpDetect.YES) {
                state = State.HEAD;
                byte[] start = Arrays.copyOf(cand, candLen);
                candLen = 0;
                consume(start, 0, start.length);
                return pos;
            }
            if (r == HttpDetect.NO || candLen == cand.length) {
                candLineStart = false;
                candLen = 0;
            }
        }
        return pos;
    }
}
