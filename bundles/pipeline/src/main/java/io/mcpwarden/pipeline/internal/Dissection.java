package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.DecodedPacket;
import io.mcpwarden.capture.PacketDecoder;
import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.dissect.dns.DnsDissector;
import io.mcpwarden.dissect.dns.DnsMessage;
import io.mcpwarden.dissect.dns.DnsParse;
import io.mcpwarden.dissect.dns.DnsQuestion;
import io.mcpwarden.dissect.dns.DnsRecord;
import io.mcpwarden.dissect.dns.DnsTcpFramer;
import io.mcpwarden.dissect.http.HttpDetect;
import io.mcpwarden.dissect.http.HttpListener;
import io.mcpwarden.dissect.http.HttpMessageEnd;
import io.mcpwarden.dissect.http.HttpRequestHead;
import io.mcpwarden.dissect.http.HttpResponseHead;
import io.mcpwarden.dissect.http.HttpStreamParser;
import io.mcpwarden.dissect.http.Side;
import io.mcpwarden.dissect.http.SseEvent;
import io.mcpwarden.dissect.http2.Http2Connection;
import io.mcpwarden.dissect.tls.ClientHello;
import io.mcpwarden.dissect.tls.ServerHello;
import io.mcpwarden.dissect.tls.TlsDirectionDissector;
import io.mcpwarden.dissect.tls.TlsResult;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.flow.Direction;
import io.mcpwarden.flow.Flow;
import io.mcpwarden.flow.FlowConfig;
import io.mcpwarden.flow.FlowListener;
import io.mcpwarden.flow.FlowTable;
import io.mcpwarden.mcp.JsonRpcReader;
import io.mcpwarden.mcp.McpSemantics;
import io.mcpwarden.mcp.RpcMessage;
import io.mcpwarden.mcp.RpcParse;
import io.mcpwarden.model.DnsAnswer;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import io.mcpwarden.tls.decrypt.KeyLog;
import io.mcpwarden.tls.decrypt.PlaintextListener;
import io.mcpwarden.tls.decrypt.TlsDecryptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flows, reassembly, DNS / TLS / HTTP dissection and MCP recognition for the packets of one shard.
 * Single-threaded: one instance per pipeline thread. Emits events into a sink of its own thread (a list handed
 * to the events thread).
 */
final class Dissection implements FlowListener {
    private final EventSink sink;
    private final InspectOptions options;
    private final FlowTable flows;
    private final DnsNames dnsNames;
    private final McpTracker mcp;
    /** TLS secrets; null when nothing is to be decrypted. Set by the reading thread when the capture has some. */
    private volatile KeyLog keys;
    private final Map<String, long[]> eventCounts = new HashMap<>();
    private String lastType;
    private long[] lastCount;
    private final Map<String, Long> anomalies = new TreeMap<>();
    private long flowsCreated;
    private long nowMicros;
    private long lastMicros;

    /** Shard {@code shard} (0-based) of {@code shards}: its flows are numbered shard + 1, + shards, … */
    Dissection(EventSink sink, InspectOptions options, DnsNames dnsNames, int shard, int shards) {
        this.sink = sink;
        this.options = options;
        this.dnsNames = dnsNames;
        FlowConfig d = FlowConfig.DEFAULTS;
        this.flows = new FlowTable(new FlowConfig(options.maxFlows(), options.streamBufferCap(),
                Math.max(d.maxBufferTotal(), (long) options.streamBufferCap() * 4),
                options.tcpIdleSeconds() * 1_000_000_000L, options.udpIdleSeconds() * 1_000_000_000L,
                d.tcpClosedLingerNanos()), this, shard + 1L, shards);
        this.mcp = new McpTracker(this::emit);
        this.keys = options.keyLog();
    }

    /** One decoded TCP or UDP packet. */
    void process(DecodedPacket pkt) {
        nowMicros = pkt.tsNanos / 1000;
        lastMicros = Math.max(lastMicros, nowMicros);
        try {
            flows.process(pkt);
        } catch (RuntimeException bug) {
            count("pipeline.internal_error");
        }
    }

    /**
     * Ends every flow and reports every pending handshake. {@code lastNanos} is the capture time of the run's
     * last packet (of any shard), so that flows open at the end are stamped alike however the run was sharded.
     */
    void finish(long lastNanos) {
        lastMicros = Math.max(lastMicros, lastNanos / 1000);
        nowMicros = lastMicros;
        flows.expire(Math.max(lastNanos, lastMicros * 1000));
        flows.closeAll("shutdown");
        mcp.finish(lastMicros);
    }

    /** TLS secrets found in the capture itself: flows that start from now on are decrypted with them. */
    void useKeys(KeyLog k) {
        keys = k;
    }

    long flowsCreated() {
        return flowsCreated;
    }

    Map<String, Long> eventCounts() {
        Map<String, Long> m = new TreeMap<>();
        eventCounts.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }

    /** Flow, anomaly and MCP counters of this shard. */
    Map<String, Long> counters() {
        Map<String, Long> counters = new TreeMap<>();
        flows.counters().forEach((k, v) -> counters.put("flow." + k, v));
        counters.putAll(anomalies);
        counters.put("mcp.sessions", mcp.sessions());
        counters.put("mcp.encrypted_suspects", mcp.encryptedSuspects());
        if (mcp.pendingDropped() > 0) {
            counters.put("mcp.pending_dropped", mcp.pendingDropped());
        }
        return counters;
    }

    private void emit(WardenEvent e) {
        String type = e.eventType();
        long[] c = lastCount;
        if (type != lastType) {
            c = eventCounts.get(type);
            if (c == null) {
                c = new long[1];
                eventCounts.put(type, c);
            }
            lastType = type;
            lastCount = c;
        }
        c[0]++;
        sink.accept(e);
    }

    private void count(String anomaly) {
        anomalies.merge(anomaly, 1L, Long::sum);
    }

    // ------------------------------------------------------------------ flow listener

    @Override
    public void onFlowStart(Flow flow) {
        flowsCreated++;
    }

    @Override
    public void onData(Flow flow, Direction dir, byte[] buf, int off, int len, long tsNanos) {
        nowMicros = tsNanos / 1000;
        try {
            if (flow.protocol() == DecodedPacket.PROTO_UDP) {
                onUdp(flow, dir, buf, off, len);
            } else {
                onTcp(flow, dir, buf, off, len);
            }
        } catch (RuntimeException bug) {
            // a dissector bug must not take the pipeline down: count it and stop dissecting this flow
            count("pipeline.dissector_error");
            TcpState st = state(flow);
            st.mode = TcpState.Mode.OTHER;
        }
    }

    @Override
    public void onGap(Flow flow, Direction dir, long bytesMissing, long tsNanos) {
        if (!(flow.attachment() instanceof TcpState st)) {
            return;
        }
        try {
            switch (st.mode) {
                case HTTP -> (dir == Direction.TO_SERVER ? st.requests : st.responses).gap();
                case H2 -> st.h2.gap(dir == Direction.TO_SERVER);
                case TLS -> {
                    (dir == Direction.TO_SERVER ? st.tlsClient : st.tlsServer).gap();
                    if (st.decryptor != null) {
                        st.decryptor.gap(dir == Direction.TO_SERVER);
                    }
                    if (st.inner == TcpState.Mode.HTTP) {
                        (dir == Direction.TO_SERVER ? st.requests : st.responses).gap();
                    } else if (st.inner == TcpState.Mode.H2) {
                        st.h2.gap(dir == Direction.TO_SERVER);
                    }
                }
                case DNS -> (dir == Direction.TO_SERVER ? st.dnsClient : st.dnsServer).gap();
                case UNKNOWN -> st.mode = TcpState.Mode.OTHER;
                default -> {
                }
            }
        } catch (RuntimeException bug) {
            count("pipeline.dissector_error");
            st.mode = TcpState.Mode.OTHER;
        }
    }

    @Override
    public void onFlowEnd(Flow flow, String reason, long tsNanos) {
        long micros = Math.max(tsNanos / 1000, 0);
        nowMicros = micros;
        String appProto = null;
        List<String> methods = List.of();
        if (flow.attachment() instanceof TcpState st) {
            try {
                if (st.mode == TcpState.Mode.HTTP) {
                    endHttp(st);
                } else if (st.mode == TcpState.Mode.H2) {
                    st.h2Streams.end();
                } else if (st.mode == TcpState.Mode.TLS) {
                    if (st.decryptor != null) {
                        st.decryptor.end();
                    }
                    if (st.inner == TcpState.Mode.HTTP) {
                        endHttp(st);
                    } else if (st.inner == TcpState.Mode.H2) {
                        st.h2Streams.end();
                    }
                    reportTls(flow, st, micros);
                    flushPendingTls(flow, st);
                }
            } catch (RuntimeException bug) {
                count("pipeline.dissector_error");
            }
            appProto = st.appProto;
            if (st.mcpMethods != null) {
                methods = new ArrayList<>(st.mcpMethods);
                appProto = "mcp";
            }
        }
        mcp.onFlowEnd(flow.id(), micros);
        emit(new FlowEvent(micros, flow.ref(), flow.startNanos() / 1000, flow.packets(Direction.TO_SERVER),
                flow.packets(Direction.TO_CLIENT), flow.bytes(Direction.TO_SERVER), flow.bytes(Direction.TO_CLIENT),
                flow.state(), reason, appProto, flow.gaps(), methods));
    }

    private void endHttp(TcpState st) {
        st.requests.end();
        st.responses.end();
        for (HttpExchange x : st.awaiting) {
            emitHttp(x, 0);
        }
        st.awaiting.clear();
    }

    private static TcpState state(Flow flow) {
        if (flow.attachment() instanceof TcpState st) {
            return st;
        }
        TcpState st = new TcpState();
        flow.attach(st);
        return st;
    }

    // ------------------------------------------------------------------ UDP: DNS

    private void onUdp(Flow flow, Direction dir, byte[] buf, int off, int len) {
        TcpState st = state(flow);
        if (st.mode == TcpState.Mode.UNKNOWN) {
            st.mode = DnsDissector.looksLikeDns(buf, off, len) ? TcpState.Mode.DNS : TcpState.Mode.OTHER;
            if (st.mode == TcpState.Mode.DNS) {
                st.appProto = "dns";
            }
        }
        if (st.mode == TcpState.Mode.DNS) {
            onDns(flow, dir, DnsDissector.parse(buf, off, len));
        }
    }

    private void onDns(Flow flow, Direction dir, DnsParse parse) {
        for (String a : parse.anomalies()) {
            count(a);
        }
        DnsMessage m = parse.message();
        if (m == null || m.questions().isEmpty()) {
            return;
        }
        DnsQuestion q = m.questions().get(0);
        FlowRef ref = dir == Direction.TO_SERVER ? flow.ref() : flow.ref().reversed();
        if (!m.response()) {
            emit(new DnsEvent(nowMicros, ref, "query", m.id(), q.name(), q.typeName(), null, List.of()));
            return;
        }
        List<DnsAnswer> answers = new ArrayList<>(m.answers().size());
        for (DnsRecord r : m.answers()) {
            answers.add(new DnsAnswer(r.name(), r.typeName(), r.ttl(), r.rdata()));
            if (r.type() == 1 || r.type() == 28) {
                dnsNames.learn(r.rdata(), q.name());
            }
        }
        emit(new DnsEvent(nowMicros, ref, "answer", m.id(), q.name(), q.typeName(), m.rcodeName(), answers));
    }

    // ------------------------------------------------------------------ TCP: protocol by content

    private void onTcp(Flow flow, Direction dir, byte[] buf, int off, int len) {
        TcpState st = state(flow);
        if (st.mode == TcpState.Mode.UNKNOWN) {
            if (dir == Direction.TO_CLIENT) {
                // the server spoke before the client said enough to decide: decide on the server's bytes alone;
                // client bytes held so far go to the client's side first
                classify(flow, st, dir, buf, off, len);
                if (st.mode == TcpState.Mode.OTHER || st.mode == TcpState.Mode.UNKNOWN) {
                    return;
                }
                if (st.sniffLen > 0) {
                    byte[] held = java.util.Arrays.copyOf(st.sniff, st.sniffLen);
                    st.sniff = null;
                    st.sniffLen = 0;
                    dispatch(flow, st, Direction.TO_SERVER, held, 0, held.length);
                }
                dispatch(flow, st, dir, buf, off, len);
                return;
            }
            if (st.sniffLen + len < TcpState.SNIFF_BYTES && st.sniffLen + len < 64 && !endsHead(buf, off, len)) {
                if (st.sniff == null) {
                    st.sniff = new byte[TcpState.SNIFF_BYTES];
                }
                System.arraycopy(buf, off, st.sniff, st.sniffLen, len);
                st.sniffLen += len;
                return;
            }
            byte[] b = buf;
            int o = off;
            int l = len;
            if (st.sniffLen > 0) {
                b = new byte[st.sniffLen + len];
                System.arraycopy(st.sniff, 0, b, 0, st.sniffLen);
                System.arraycopy(buf, off, b, st.sniffLen, len);
                o = 0;
                l = b.length;
                st.sniff = null;
                st.sniffLen = 0;
            }
            classify(flow, st, dir, b, o, l);
            if (st.mode == TcpState.Mode.OTHER || st.mode == TcpState.Mode.UNKNOWN) {
                return;
            }
            dispatch(flow, st, dir, b, o, l);
            return;
        }
        dispatch(flow, st, dir, buf, off, len);
    }

    private static boolean endsHead(byte[] buf, int off, int len) {
        return len > 0 && buf[off + len - 1] == '\n';
    }

    private void classify(Flow flow, TcpState st, Direction dir, byte[] b, int o, int l) {
        if (dir == Direction.TO_SERVER && Http2Connection.looksLikePreface(b, o, l)) {
            st.mode = TcpState.Mode.H2;
            st.appProto = "http2";
            startH2(flow, st, false);
        } else if (dir == Direction.TO_SERVER && HttpDetect.looksLikeRequest(b, o, l)
                || dir == Direction.TO_CLIENT && HttpDetect.looksLikeResponse(b, o, l)) {
            st.mode = TcpState.Mode.HTTP;
            st.appProto = "http";
            startHttp(flow, st);
        } else if (dir == Direction.TO_SERVER && TlsDirectionDissector.looksLikeClientHello(b, o, l)) {
            st.mode = TcpState.Mode.TLS;
            st.appProto = "tls";
            st.tlsClient = new TlsDirectionDissector();
            st.tlsServer = new TlsDirectionDissector();
            if (keys != null) {
                st.decryptor = new TlsDecryptor(keys, new Decrypted(flow, st));
            }
        } else if (dir == Direction.TO_SERVER && l > 2 && DnsDissector.looksLikeDns(b, o + 2, l - 2)
                && ((b[o] & 0xff) << 8 | (b[o + 1] & 0xff)) >= 12) {
            st.mode = TcpState.Mode.DNS;
            st.appProto = "dns";
            st.dnsClient = new DnsTcpFramer();
            st.dnsServer = new DnsTcpFramer();
        } else {
            st.mode = TcpState.Mode.OTHER;
        }
    }

    private void dispatch(Flow flow, TcpState st, Direction dir, byte[] b, int o, int l) {
        switch (st.mode) {
            case HTTP -> {
                HttpStreamParser p = dir == Direction.TO_SERVER ? st.requests : st.responses;
                if (!p.failed()) {
                    p.feed(b, o, l);
                }
            }
            case TLS -> onTls(flow, st, dir, b, o, l);
            case H2 -> st.h2.feed(dir == Direction.TO_SERVER, b, o, l);
            case DNS -> (dir == Direction.TO_SERVER ? st.dnsClient : st.dnsServer)
                    .feed(b, o, l, parse -> onDns(flow, dir, parse));
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ TLS

    private void onTls(Flow flow, TcpState st, Direction dir, byte[] b, int o, int l) {
        if (st.decryptor != null && st.decryptor.active()) {
            st.decryptor.feed(dir == Direction.TO_SERVER, b, o, l);
        }
        TlsDirectionDissector d = dir == Direction.TO_SERVER ? st.tlsClient : st.tlsServer;
        if (d.done() || st.tlsReported) {
            return;
        }
        TlsResult r = d.feed(b, o, l);
        for (String a : r.anomalies()) {
            count(a);
        }
        if (r.clientHello() != null && st.clientHello == null) {
            st.clientHello = r.clientHello();
            st.clientHelloMicros = nowMicros;
        }
        if (r.serverHello() != null && st.serverHello == null) {
            st.serverHello = r.serverHello();
        }
        if (st.clientHello != null && st.serverHello != null) {
            reportTls(flow, st, nowMicros);
        }
    }

    private void reportTls(Flow flow, TcpState st, long micros) {
        if (st.tlsReported || st.clientHello == null) {
            return;
        }
        st.tlsReported = true;
        if (st.decryptor != null && st.decryptor.status() == TlsDecryptor.Status.DECRYPTING) {
            count("tls.decrypt.flows");
            if (!st.alpnKnown) {
                // TLS 1.3: the server's ALPN choice travels in the encrypted EncryptedExtensions
                st.tlsPending = true;
                st.tlsPendingMicros = micros;
                return;
            }
            emitTls(flow, st, micros, true);
            return;
        }
        emitTls(flow, st, micros, false);
    }

    /** A tls event still waiting for the encrypted handshake is written now, as seen in clear. */
    private void flushPendingTls(Flow flow, TcpState st) {
        if (st.tlsPending) {
            st.tlsPending = false;
            emitTls(flow, st, st.tlsPendingMicros, false);
        }
    }

    private void emitTls(Flow flow, TcpState st, long micros, boolean decrypted) {
        ClientHello ch = st.clientHello;
        ServerHello sh = st.serverHello;
        String version;
        if (sh != null) {
            version = TlsDirectionDissector.versionName(sh.selectedVersion());
        } else {
            int best = ch.legacyVersion();
            for (int v : ch.supportedVersions()) {
                if (!isGrease(v) && v > best && v <= 0x0304) {
                    best = v;
                }
            }
            version = TlsDirectionDissector.versionName(best);
        }
        List<String> offered = new ArrayList<>();
        for (int v : ch.supportedVersions()) {
            if (!isGrease(v)) {
                offered.add(TlsDirectionDissector.hex4(v));
            }
        }
        FlowRef ref = flow.ref();
        String alpnSelected = decrypted ? st.alpnSelected : sh == null ? null : sh.alpn();
        emit(new TlsEvent(micros, ref, ch.sni(), version, ch.alpn(), offered, ch.ja4(), alpnSelected,
                sh == null ? null : TlsDirectionDissector.hex4(sh.cipherSuite()), decrypted));
        if (!decrypted) {
            mcp.onTls(ref, ch.sni(), dnsNames.nameOf(ref.destIp()), ch.alpn(), micros);
        }
    }

    /** What the key log decryption of one TLS flow recovers. */
    private final class Decrypted implements PlaintextListener {
        private final Flow flow;
        private final TcpState st;

        Decrypted(Flow flow, TcpState st) {
            this.flow = flow;
            this.st = st;
        }

        @Override
        public void onHandshake(String alpnSelected) {
            st.alpnKnown = true;
            st.alpnSelected = alpnSelected;
            if (st.tlsPending) {
                st.tlsPending = false;
                emitTls(flow, st, st.tlsPendingMicros, true);
            }
        }

        @Override
        public void onApplicationData(boolean fromClient, byte[] buf, int off, int len) {
            Direction dir = fromClient ? Direction.TO_SERVER : Direction.TO_CLIENT;
            if (st.inner == TcpState.Mode.UNKNOWN) {
                if ("h2".equals(st.alpnSelected) || fromClient && Http2Connection.looksLikePreface(buf, off, len)) {
                    st.inner = TcpState.Mode.H2;
                    startH2(flow, st, true);
                } else if (fromClient && HttpDetect.looksLikeRequest(buf, off, len)
                        || !fromClient && HttpDetect.looksLikeResponse(buf, off, len)) {
                    st.inner = TcpState.Mode.HTTP;
                    startHttp(flow, st, true);
                } else {
                    st.inner = TcpState.Mode.OTHER;
                    count("tls.decrypt.other_application_data");
                }
            }
            if (st.inner == TcpState.Mode.HTTP) {
                HttpStreamParser p = dir == Direction.TO_SERVER ? st.requests : st.responses;
                if (!p.failed()) {
                    p.feed(buf, off, len);
                }
            } else if (st.inner == TcpState.Mode.H2) {
                st.h2.feed(fromClient, buf, off, len);
            }
        }

        @Override
        public void onFailure(boolean fromClient, String anomaly) {
            count(anomaly);
            flushPendingTls(flow, st);
        }
    }

    private static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
    }

    // ------------------------------------------------------------------ HTTP

    private void startH2(Flow flow, TcpState st, boolean decrypted) {
        st.h2Streams = new Http2Streams(this, flow, st, decrypted, options.httpBodyCap());
        st.h2 = new Http2Connection(st.h2Streams);
    }

    private void startHttp(Flow flow, TcpState st) {
        startHttp(flow, st, false);
    }

    private void startHttp(Flow flow, TcpState st, boolean decrypted) {
        int cap = options.httpBodyCap();
        st.requests = new HttpStreamParser(Side.REQUEST, new HttpListener() {
            private final BodySniff sniff = new BodySniff();

            @Override
            public void onRequestHead(HttpRequestHead h) {
                sniff.start(h.header("content-encoding"));
                HttpExchange x = requestHead(flow, st, h, decrypted);
                st.currentRequest = x;
                st.awaiting.add(x);
                st.responses.expectResponseTo(h.method());
            }

            @Override
            public void onBody(byte[] buf, int off, int len) {
                if (sniff.notJson(buf, off, len)) {
                    st.requests.stopKeepingBody(); // only JSON-RPC bodies are read
                }
            }

            @Override
            public void onMessageEnd(HttpMessageEnd end) {
                HttpExchange x = st.currentRequest;
                st.currentRequest = null;
                if (x == null || end.bodyBytes() == 0) {
                    return;
                }
                requestBody(st, x, end.bodyPrefixArray(), end.bodyPrefixLength());
            }

            @Override
            public void onAnomaly(String name) {
                count(name);
            }
        }, cap);
        st.responses = new HttpStreamParser(Side.RESPONSE, new HttpListener() {
            private final BodySniff sniff = new BodySniff();

            @Override
            public void onResponseHead(HttpResponseHead h) {
                sniff.stop();
                if (h.status() >= 100 && h.status() < 200 && h.status() != 101) {
                    return;
                }
                HttpExchange x = st.awaiting.peekFirst();
                if (x == null) {
                    st.currentResponse = null;
                    st.responses.stopKeepingBody(); // a response to nothing: its body is not read
                    return;
                }
                responseHead(x, h);
                if (x.eventStream) {
                    st.responses.stopKeepingBody(); // events are read as they arrive, not from the prefix
                } else {
                    sniff.start(h.header("content-encoding"));
                }
                st.currentResponse = x;
            }

            @Override
            public void onBody(byte[] buf, int off, int len) {
                if (sniff.notJson(buf, off, len)) {
                    st.responses.stopKeepingBody(); // only JSON-RPC bodies are read
                }
            }

            @Override
            public void onSseEvent(SseEvent e) {
                HttpExchange x = st.currentResponse;
                if (x != null) {
                    sseEvent(x, e);
                }
            }

            @Override
            public void onMessageEnd(HttpMessageEnd end) {
                HttpExchange x = st.currentResponse;
                st.currentResponse = null;
                if (x == null) {
                    return;
                }
                st.awaiting.remove(x);
                responseEnd(x, end.bodyPrefixArray(), end.bodyPrefixLength(), end.bodyBytes());
            }

            @Override
            public void onAnomaly(String name) {
                count(name);
            }
        }, cap);
    }

    // ------------------------------------------------------------------ HTTP exchanges (HTTP/1.x and HTTP/2)

    /** A request head was read: a new exchange; GET streams and DELETEs of known MCP sessions are noted. */
    HttpExchange requestHead(Flow flow, TcpState st, HttpRequestHead h, boolean decrypted) {
        HttpExchange x = new HttpExchange(flow.ref(), nowMicros, h, decrypted);
        if (mcp.isMcpRequest(x)) {
            if ("GET".equals(h.method())) {
                st.addMethod("(HTTP GET)");
            } else if ("DELETE".equals(h.method())) {
                st.addMethod("(HTTP DELETE)");
            }
        }
        return x;
    }

    /** A request body (its kept prefix) was read: JSON-RPC and MCP handshakes. */
    void requestBody(TcpState st, HttpExchange x, byte[] body, int len) {
        String ce = x.request.header("content-encoding");
        if (BodyDecoder.transforms(ce)) {
            body = BodyDecoder.decode(java.util.Arrays.copyOf(body, len), ce, options.httpBodyCap());
            len = body.length;
        }
        RpcParse p = JsonRpcReader.read(body, 0, len);
        if (p.messages().isEmpty()) {
            return;
        }
        mcp.onRequest(x, p.messages());
        boolean mcpFlow = x.handshake != null || mcp.isMcpRequest(x);
        if (mcpFlow) {
            for (RpcMessage m : p.messages()) {
                if (m.method() != null && McpSemantics.isMcpMethod(m.method())) {
                    st.addMethod(m.method());
                }
            }
        }
    }

    /** The response head of an exchange. */
    void responseHead(HttpExchange x, HttpResponseHead h) {
        x.response = h;
        x.responseMicros = nowMicros;
        String ct = h.header("content-type");
        x.eventStream = ct != null && ct.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        mcp.onResponseHead(x);
    }

    /** One event of an event-stream response. */
    void sseEvent(HttpExchange x, SseEvent e) {
        List<RpcMessage> msgs = List.of();
        String data = e.data();
        if (data != null && !data.isEmpty()) {
            char c = firstNonBlank(data);
            if (c == '{' || c == '[') {
                msgs = JsonRpcReader.read(data).messages();
            }
        }
        if ("GET".equals(x.request.method())) {
            mcp.onStreamEvent(x, e, msgs, nowMicros);
        } else if (!msgs.isEmpty()) {
            mcp.onResponseMessages(x, msgs, nowMicros);
        }
    }

    /** The response ended: a JSON body is read for JSON-RPC answers, then the http event is written. */
    void responseEnd(HttpExchange x, byte[] body, int len, long bodyBytes) {
        if (!x.eventStream && bodyBytes > 0 && body != null) {
            String ce = x.response.header("content-encoding");
            if (BodyDecoder.transforms(ce)) {
                body = BodyDecoder.decode(java.util.Arrays.copyOf(body, len), ce, options.httpBodyCap());
                len = body.length;
            }
            if (JsonRpcReader.looksLikeJson(body, 0, len)) {
                RpcParse p = JsonRpcReader.read(body, 0, len);
                if (!p.messages().isEmpty()) {
                    mcp.onResponseMessages(x, p.messages(), nowMicros);
                }
            }
        }
        mcp.onResponseEnd(x, nowMicros);
        emitHttp(x, bodyBytes);
    }

    void anomaly(String name) {
        count(name);
    }

    private static char firstNonBlank(String s) {
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return 0;
    }

    void emitHttp(HttpExchange x, long bodyBytes) {
        HttpRequestHead q = x.request;
        HttpResponseHead r = x.response;
        emit(new HttpEvent(x.requestMicros, x.flow, x.host(), x.port(), q.target(), q.method(), q.version(),
                q.header("user-agent"), r == null ? null : r.header("content-type"),
                r == null ? null : r.status(), bodyBytes, x.decrypted));
    }
}
