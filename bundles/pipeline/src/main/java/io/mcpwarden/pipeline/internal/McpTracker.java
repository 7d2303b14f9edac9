package io.mcpwarden.pipeline.internal;

import io.mcpwarden.dissect.http.SseEvent;
import io.mcpwarden.mcp.McpSemantics;
import io.mcpwarden.mcp.RpcMessage;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.WardenEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Recognises MCP sessions from HTTP exchanges and SSE events across the flows of one client and server,
 * and emits exactly one {@code mcp} event per handshake ({@code initialize} or {@code server/discover}):
 * when its reply is seen, or when its flow ends without one. Bounded: pending state is capped.
 */
final class McpTracker {
    /** Most handshakes waiting for a reply and legacy streams remembered at once. */
    static final int MAX_PENDING = 4096;
    /** Known MCP servers and session ids remembered (least recently used forgotten first). */
    static final int MAX_REMEMBERED = 65_536;
    static final int MAX_STREAMS = 4096;
    static final int MAX_SUSPECTS = 65536;
    static final int MAX_METHODS = 64;

    /** One handshake and what was learnt about its session. */
    static final class Handshake {
        final FlowRef flow;
        final long micros;
        final String kind;
        String transport;
        String endpoint;
        String messageEndpoint;
        final String requestId;
        final String clientProtocolVersion;
        final String clientName;
        final String clientVersion;
        final List<String> clientCaps;
        String protocolVersion;
        String serverName;
        String serverVersion;
        List<String> serverCaps = List.of();
        String sessionId;
        final List<String> methods = new ArrayList<>();
        final LinkedHashSet<String> evidence = new LinkedHashSet<>();
        /** Read from TLS decrypted with a key log. */
        boolean encrypted;
        boolean emitted;
        /** The legacy stream its reply would come on (null: none, or not followed there). */
        SseStream waitingOn;

        Handshake(FlowRef flow, long micros, String kind, String requestId, String clientProtocolVersion,
                  String clientName, String clientVersion, List<String> clientCaps) {
            this.flow = flow;
            this.micros = micros;
            this.kind = kind;
            this.requestId = requestId;
            this.clientProtocolVersion = clientProtocolVersion;
            this.clientName = clientName;
            this.clientVersion = clientVersion;
            this.clientCaps = clientCaps;
        }
    }

    /** A legacy HTTP+SSE stream that announced where to POST. */
    static final class SseStream {
        final String key;
        /** The flow of the GET that carries the stream. */
        final long flowId;
        final String getEndpoint;
        final String postTarget;
        final String sessionId;
        final Map<String, Handshake> pendingById = new LinkedHashMap<>();
        /** Its flow ended: no reply comes on it any more. */
        boolean ended;

        SseStream(String key, long flowId, String getEndpoint, String postTarget, String sessionId) {
            this.key = key;
            this.flowId = flowId;
            this.getEndpoint = getEndpoint;
            this.postTarget = postTarget;
            this.sessionId = sessionId;
        }
    }

    private final Consumer<WardenEvent> emit;
    private final Map<Long, List<Handshake>> pendingByFlow = new HashMap<>();
    private final Map<String, SseStream> streams = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SseStream> e) {
            return size() > MAX_STREAMS; // no new POST finds it; replies on its flow still do
        }
    };
    /**
     * The streams per flow of their GET (also those {@link #streams} no longer finds), so that the handshakes
     * waiting on them are reported when it ends; bounded by the flows open.
     */
    private final Map<Long, List<SseStream>> streamsByFlow = new HashMap<>();
    /** Evidence seen before a handshake (OAuth discovery), per client and server. */
    private final Map<String, LinkedHashSet<String>> preEvidence = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LinkedHashSet<String>> e) {
            return size() > MAX_STREAMS;
        }
    };
    /** Servers (ip:port) that carried a recognised plaintext MCP session. */
    private final Set<String> knownServers = bounded(MAX_REMEMBERED);
    private final Set<String> suspects = new HashSet<>();
    /** Session ids of recognised sessions: a request carrying one is MCP evidence. */
    private final Set<String> sessionIds = bounded(MAX_REMEMBERED);
    private int pending;
    /** Handshakes not followed because {@link #MAX_PENDING} were already pending. */
    private long pendingDropped;
    private long sessions;
    private long encryptedSuspects;

    /** A set that forgets its least recently used element beyond {@code max}. */
    private static Set<String> bounded(int max) {
        return java.util.Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                return size() > max;
            }
        });
    }

    /** Handshakes not followed because too many were pending. */
    long pendingDropped() {
        return pendingDropped;
    }

    McpTracker(Consumer<WardenEvent> emit) {
        this.emit = emit;
    }

    long sessions() {
        return sessions;
    }

    long encryptedSuspects() {
        return encryptedSuspects;
    }

    private static String serverKey(FlowRef f) {
        return f.srcIp() + ">" + f.destIp() + ":" + f.destPort();
    }

    /** Whether a request on this flow belongs to a known MCP conversation (for per-flow method counts). */
    boolean isMcpRequest(HttpExchange x) {
        String sid = x.request.header("mcp-session-id");
        if (sid != null && sessionIds.contains(sid.trim())) {
            return true;
        }
        if (McpSemantics.isDateVersion(trim(x.request.header("mcp-protocol-version")))) {
            return true;
        }
        return streams.containsKey(serverKey(x.flow) + " " + HttpExchange.pathAndQuery(x.request.target()));
    }

    /** A request body was read: look for a handshake. */
    void onRequest(HttpExchange x, List<RpcMessage> messages) {
        for (RpcMessage m : messages) {
            String headerVersion = trim(x.request.header("mcp-protocol-version"));
            if (McpSemantics.isInitializeRequest(m)) {
                Handshake h = new Handshake(x.flow, x.requestMicros, "initialize", m.id(), m.protocolVersion(),
                        m.peerName(), m.peerVersion(), m.capabilities());
                h.evidence.add("initialize_request");
                start(x, h);
            } else if (McpSemantics.isDiscoverRequest(m, headerVersion)) {
                String version = McpSemantics.isDateVersion(m.metaProtocolVersion()) ? m.metaProtocolVersion()
                        : headerVersion;
                Handshake h = new Handshake(x.flow, x.requestMicros, "server/discover", m.id(), version,
                        m.metaPeerName(), m.metaPeerVersion(), m.metaCapabilities());
                h.evidence.add("discover_request");
                if (m.metaProtocolVersion() != null) {
                    h.evidence.add("meta_protocol_version");
                }
                checkHeaders(x, m, h, headerVersion);
                start(x, h);
            } else {
                Handshake open = openOn(x.flow);
                if (open != null && m.method() != null && McpSemantics.isMcpMethod(m.method())
                        && open.methods.size() < MAX_METHODS) {
                    open.methods.add(m.method());
                }
            }
        }
    }

    private void checkHeaders(HttpExchange x, RpcMessage m, Handshake h, String headerVersion) {
        String method = trim(x.request.header("mcp-method"));
        if (method != null) {
            h.evidence.add(method.equals(m.method()) ? "mcp_method_header" : "header_body_mismatch");
        }
        String name = trim(x.request.header("mcp-name"));
        String expected = McpSemantics.expectedMcpName(m);
        if (name != null && expected != null && !name.equals(expected)) {
            h.evidence.add("header_body_mismatch");
        }
        if (headerVersion != null && m.metaProtocolVersion() != null && !headerVersion.equals(m.metaProtocolVersion())) {
            h.evidence.add("header_body_mismatch");
        }
    }

    private void start(HttpExchange x, Handshake h) {
        if (pending >= MAX_PENDING) {
            pendingDropped++;
            return;
        }
        h.methods.add(h.kind);
        LinkedHashSet<String> pre = preEvidence.remove(serverKey(x.flow));
        if (pre != null) {
            h.evidence.addAll(pre);
        }
        if (trim(x.request.header("mcp-protocol-version")) != null) {
            h.evidence.add("protocol_version_header");
        }
        SseStream s = streams.get(serverKey(x.flow) + " " + HttpExchange.pathAndQuery(x.request.target()));
        if (s != null) {
            h.transport = "sse";
            h.endpoint = s.getEndpoint;
            h.messageEndpoint = x.endpoint();
            h.sessionId = s.sessionId;
            h.evidence.add("sse_endpoint_event");
            if (h.requestId != null && s.pendingById.size() < 64) {
                s.pendingById.put(h.requestId, h);
                h.waitingOn = s;
            }
        } else {
            h.transport = "streamable-http";
            h.endpoint = x.endpoint();
        }
        h.encrypted = x.decrypted;
        if (x.decrypted) {
            h.evidence.add("tls_decrypted");
        }
        x.handshake = h;
        pendingByFlow.computeIfAbsent(x.flow.flowId(), k -> new ArrayList<>(1)).add(h);
        pending++;
    }

    private Handshake openOn(FlowRef flow) {
        List<Handshake> l = pendingByFlow.get(flow.flowId());
        return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** The response head of an exchange: session header, OAuth challenge, event stream. */
    void onResponseHead(HttpExchange x) {
        int status = x.response.status();
        if (status == 401) {
            String auth = x.response.header("www-authenticate");
            if (auth != null && auth.toLowerCase(Locale.ROOT).contains("resource_metadata=")) {
                preEvidence.computeIfAbsent(serverKey(x.flow), k -> new LinkedHashSet<>()).add("oauth_resource_metadata");
            }
        }
        if (x.path().startsWith("/.well-known/oauth-protected-resource")
                && McpSemantics.isDateVersion(trim(x.request.header("mcp-protocol-version")))) {
            preEvidence.computeIfAbsent(serverKey(x.flow), k -> new LinkedHashSet<>()).add("oauth_discovery");
        }
        Handshake h = x.handshake;
        if (h != null && "streamable-http".equals(h.transport)) {
            String sid = trim(x.response.header("mcp-session-id"));
            if (sid != null) {
                h.sessionId = sid;
                h.evidence.add("session_header");
            }
        }
    }

    /** JSON-RPC messages in the response to an exchange (JSON body or one SSE event on a POST). */
    void onResponseMessages(HttpExchange x, List<RpcMessage> messages, long micros) {
        Handshake h = x.handshake;
        if (h == null || h.emitted) {
            return;
        }
        for (RpcMessage m : messages) {
            if (answer(h, m)) {
                emit(h, micros);
                return;
            }
        }
    }

    /**
     * The response to an exchange ended. A Streamable HTTP handshake whose response carried no JSON-RPC
     * answer (an HTTP error such as 401, or a stream closed early) is reported now: the reply was seen.
     */
    void onResponseEnd(HttpExchange x, long micros) {
        Handshake h = x.handshake;
        if (h == null || h.emitted || !"streamable-http".equals(h.transport) || x.response == null) {
            return;
        }
        int status = x.response.status();
        if (status >= 400) {
            h.evidence.add("http_error");
            String auth = x.response.header("www-authenticate");
            if (status == 401 && auth != null && auth.toLowerCase(Locale.ROOT).contains("resource_metadata=")) {
                h.evidence.add("oauth_resource_metadata");
            }
        }
        emit(h, micros);
    }

    /** One event on a GET event stream: the legacy transport's endpoint announcement or a message. */
    void onStreamEvent(HttpExchange x, SseEvent e, List<RpcMessage> messages, long micros) {
        if ("endpoint".equals(e.event()) && x.stream == null) {
            String data = e.data() == null ? "" : e.data().trim();
            if (data.startsWith("/") || data.startsWith("http://") || data.startsWith("https://")) {
                String target = HttpExchange.pathAndQuery(data);
                String key = serverKey(x.flow) + " " + target;
                SseStream s = new SseStream(key, x.flow.flowId(), x.endpoint(), target, sessionParam(target));
                streams.put(key, s);
                streamsByFlow.computeIfAbsent(s.flowId, k -> new ArrayList<>(1)).add(s);
                x.stream = s;
                if (s.sessionId != null) {
                    sessionIds.add(s.sessionId);
                }
            }
            return;
        }
        SseStream s = x.stream;
        if (s == null) {
            return;
        }
        for (RpcMessage m : messages) {
            if (m.isResponse() && m.id() != null) {
                Handshake h = s.pendingById.remove(m.id());
                if (h != null && !h.emitted && answer(h, m)) {
                    emit(h, micros);
                }
            }
        }
    }

    /** Applies a reply to a handshake; true when it answers it. */
    private boolean answer(Handshake h, RpcMessage m) {
        if (!m.isResponse() || (h.requestId != null && !h.requestId.equals(m.id()))) {
            return false;
        }
        if ("initialize".equals(h.kind) && McpSemantics.isInitializeResult(m)) {
            h.protocolVersion = m.protocolVersion();
            h.serverName = m.peerName();
            h.serverVersion = m.peerVersion();
            h.serverCaps = m.capabilities();
            h.evidence.add("initialize_result");
            return true;
        }
        if ("server/discover".equals(h.kind) && McpSemantics.isDiscoverResult(m)) {
            h.protocolVersion = m.supportedVersions().contains(h.clientProtocolVersion) ? h.clientProtocolVersion : null;
            h.serverName = m.metaPeerName() != null ? m.metaPeerName() : m.peerName();
            h.serverVersion = m.metaPeerName() != null ? m.metaPeerVersion() : m.peerVersion();
            h.serverCaps = m.capabilities();
            h.evidence.add("discover_result");
            return true;
        }
        if (McpSemantics.isVersionError(m)) {
            h.evidence.add("version_error");
            return true;
        }
        if (m.kind() == RpcMessage.Kind.ERROR) {
            h.evidence.add("handshake_error");
            return true;
        }
        return false;
    }

    private void emit(Handshake h, long micros) {
        if (h.emitted) {
            return;
        }
        h.emitted = true;
        pending--;
        List<Handshake> l = pendingByFlow.get(h.flow.flowId());
        if (l != null) {
            l.remove(h);
            if (l.isEmpty()) {
                pendingByFlow.remove(h.flow.flowId());
            }
        }
        if (h.sessionId != null) {
            sessionIds.add(h.sessionId);
        }
        knownServers.add(h.flow.destIp() + ":" + h.flow.destPort());
        sessions++;
        emit.accept(new McpEvent(micros, h.flow, h.transport, h.endpoint, h.messageEndpoint, h.kind,
                h.clientProtocolVersion, h.protocolVersion, h.clientName, h.clientVersion, h.serverName,
                h.serverVersion, h.sessionId, h.methods, h.encrypted, new ArrayList<>(h.evidence), null, h.clientCaps,
                h.serverCaps));
    }

    /**
     * A flow ended: handshakes on it that never got a reply are reported now, except those of the legacy
     * transport whose stream is still open (their reply travels on the stream's flow); and when it carried
     * legacy streams, the handshakes still waiting on them are reported, as no reply comes any more.
     */
    void onFlowEnd(long flowId, long micros) {
        List<SseStream> ended = streamsByFlow.get(flowId);
        if (ended != null) {
            for (SseStream s : new ArrayList<>(ended)) {
                streams.remove(s.key, s);
                end(s, micros);
            }
        }
        List<Handshake> l = pendingByFlow.get(flowId);
        if (l == null) {
            return;
        }
        for (Handshake h : new ArrayList<>(l)) {
            if (h.waitingOn != null && !h.waitingOn.ended) {
                continue;
            }
            emit(h, micros);
        }
    }

    /** No reply comes on {@code s} any more: reports the handshakes waiting on it. */
    private void end(SseStream s, long micros) {
        if (s.ended) {
            return;
        }
        s.ended = true;
        List<SseStream> l = streamsByFlow.get(s.flowId);
        if (l != null) {
            l.remove(s);
            if (l.isEmpty()) {
                streamsByFlow.remove(s.flowId);
            }
        }
        for (Handshake h : new ArrayList<>(s.pendingById.values())) {
            emit(h, micros);
        }
        s.pendingById.clear();
    }

    /** The run ends: everything still pending is reported. */
    void finish(long micros) {
        for (List<Handshake> l : new ArrayList<>(pendingByFlow.values())) {
            for (Handshake h : new ArrayList<>(l)) {
                emit(h, micros);
            }
        }
    }

    /**
     * A TLS handshake whose contents cannot be read: report a suspected MCP endpoint when the server already
     * carried plaintext MCP, or when the server name (SNI, else a name learnt from DNS) carries an {@code mcp}
     * label token and the client offered no HTTP/2 — MCP transports are HTTP/1.1 in the SDKs, while browsers
     * (the usual visitors of look-alike names) offer h2. One event per client, server and name.
     */
    void onTls(FlowRef flow, String sni, String dnsName, List<String> alpn, long micros) {
        String name = sni != null ? sni : dnsName;
        List<String> evidence = new ArrayList<>(3);
        boolean http1 = !alpn.contains("h2");
        if (http1) {
            if (sni != null && hasMcpToken(sni)) {
                evidence.add("sni_name_token");
            } else if (sni == null && dnsName != null && hasMcpToken(dnsName)) {
                evidence.add("dns_name_token");
            }
        }
        if (knownServers.contains(flow.destIp() + ":" + flow.destPort())) {
            evidence.add("known_mcp_server");
        }
        if (evidence.isEmpty()) {
            return;
        }
        evidence.add(alpn.isEmpty() ? "no_alpn" : http1 ? "alpn_http1" : "alpn_h2");
        String key = flow.srcIp() + ">" + flow.destIp() + ":" + flow.destPort() + " " + name;
        if (suspects.size() >= MAX_SUSPECTS || !suspects.add(key)) {
            return;
        }
        encryptedSuspects++;
        String endpoint = (name != null ? name : flow.destIp()) + ":" + flow.destPort();
        emit.accept(new McpEvent(micros, flow, null, endpoint, null, null, null, null, null, null, null, null,
                null, List.of(), true, evidence, sni, List.of(), List.of()));
    }

    /** True when a DNS label of the name, split further at '-' and '_', starts or ends with "mcp". */
    static boolean hasMcpToken(String name) {
        if (name == null) {
            return false;
        }
        for (String label : name.toLowerCase(Locale.ROOT).split("[.\\-_]")) {
            if (label.startsWith("mcp") || label.endsWith("mcp")) {
                return true;
            }
        }
        return false;
    }

    /** The value of the first query parameter whose name contains "session". */
    static String sessionParam(String target) {
        int q = target.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String kv : target.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).toLowerCase(Locale.ROOT).contains("session")) {
                String v = kv.substring(eq + 1);
                try {
                    v = java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    // keep the raw value
                }
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    private static String trim(String s) {
        if (s == null) {
            return null;
        }
        s = s.trim();
        return s.isEmpty() ? null : s;
    }
}
