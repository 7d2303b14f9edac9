package io.mcpwarden.events.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.mcpwarden.model.DnsAnswer;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.WardenEvent;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The one definition of the EVE JSON field names and types. SIEM parsers rely on these names: change them
 * only with a schema version bump (see {@code eve.schema.json} beside this class's resources).
 * Null values are omitted.
 */
public final class EveFields {
    private static final DateTimeFormatter TS_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private EveFields() {
    }

    // field names, encoded once
    private static final SerializedString N_ACTION = new SerializedString("action");
    private static final SerializedString N_ALPN = new SerializedString("alpn");
    private static final SerializedString N_ALPN_SELECTED = new SerializedString("alpn_selected");
    private static final SerializedString N_ANSWERS = new SerializedString("answers");
    private static final SerializedString N_APP_PROTO = new SerializedString("app_proto");
    private static final SerializedString N_BYTES_TOCLIENT = new SerializedString("bytes_toclient");
    private static final SerializedString N_BYTES_TOSERVER = new SerializedString("bytes_toserver");
    private static final SerializedString N_CIPHER_SUITE = new SerializedString("cipher_suite");
    private static final SerializedString N_CLIENT_CAPABILITIES = new SerializedString("client_capabilities");
    private static final SerializedString N_CLIENT_NAME = new SerializedString("client_name");
    private static final SerializedString N_CLIENT_PROTOCOL_VERSION = new SerializedString("client_protocol_version");
    private static final SerializedString N_CLIENT_SUPPORTED_VERSIONS = new SerializedString("client_supported_versions");
    private static final SerializedString N_CLIENT_VERSION = new SerializedString("client_version");
    private static final SerializedString N_COLUMN = new SerializedString("column");
    private static final SerializedString N_COMMUNITY_ID = new SerializedString("community_id");
    private static final SerializedString N_DEST_IP = new SerializedString("dest_ip");
    private static final SerializedString N_DEST_PORT = new SerializedString("dest_port");
    private static final SerializedString N_DECRYPTED = new SerializedString("decrypted");
    private static final SerializedString N_DNS = new SerializedString("dns");
    private static final SerializedString N_ENCRYPTED = new SerializedString("encrypted");
    private static final SerializedString N_END = new SerializedString("end");
    private static final SerializedString N_ENDPOINT = new SerializedString("endpoint");
    private static final SerializedString N_EVENT_TYPE = new SerializedString("event_type");
    private static final SerializedString N_EVIDENCE = new SerializedString("evidence");
    private static final SerializedString N_FILE = new SerializedString("file");
    private static final SerializedString N_FLOW = new SerializedString("flow");
    private static final SerializedString N_FLOW_ID = new SerializedString("flow_id");
    private static final SerializedString N_GAPS = new SerializedString("gaps");
    private static final SerializedString N_HANDSHAKE = new SerializedString("handshake");
    private static final SerializedString N_HOSTNAME = new SerializedString("hostname");
    private static final SerializedString N_HTTP = new SerializedString("http");
    private static final SerializedString N_HTTP_CONTENT_TYPE = new SerializedString("http_content_type");
    private static final SerializedString N_HTTP_METHOD = new SerializedString("http_method");
    private static final SerializedString N_HTTP_PORT = new SerializedString("http_port");
    private static final SerializedString N_HTTP_USER_AGENT = new SerializedString("http_user_agent");
    private static final SerializedString N_ID = new SerializedString("id");
    private static final SerializedString N_JA4 = new SerializedString("ja4");
    private static final SerializedString N_LENGTH = new SerializedString("length");
    private static final SerializedString N_LINE = new SerializedString("line");
    private static final SerializedString N_MCP = new SerializedString("mcp");
    private static final SerializedString N_MCP_METHODS = new SerializedString("mcp_methods");
    private static final SerializedString N_MESSAGE = new SerializedString("message");
    private static final SerializedString N_MESSAGE_ENDPOINT = new SerializedString("message_endpoint");
    private static final SerializedString N_METHODS = new SerializedString("methods");
    private static final SerializedString N_PKTS_TOCLIENT = new SerializedString("pkts_toclient");
    private static final SerializedString N_PKTS_TOSERVER = new SerializedString("pkts_toserver");
    private static final SerializedString N_PROTO = new SerializedString("proto");
    private static final SerializedString N_PROTOCOL = new SerializedString("protocol");
    private static final SerializedString N_PROTOCOL_VERSION = new SerializedString("protocol_version");
    private static final SerializedString N_RCODE = new SerializedString("rcode");
    private static final SerializedString N_RDATA = new SerializedString("rdata");
    private static final SerializedString N_REASON = new SerializedString("reason");
    private static final SerializedString N_RRNAME = new SerializedString("rrname");
    private static final SerializedString N_RRTYPE = new SerializedString("rrtype");
    private static final SerializedString N_RULE = new SerializedString("rule");
    private static final SerializedString N_RULES = new SerializedString("rules");
    private static final SerializedString N_RULESET = new SerializedString("ruleset");
    private static final SerializedString N_SERVER_CAPABILITIES = new SerializedString("server_capabilities");
    private static final SerializedString N_SERVER_NAME = new SerializedString("server_name");
    private static final SerializedString N_SERVER_VERSION = new SerializedString("server_version");
    private static final SerializedString N_SESSION_ID = new SerializedString("session_id");
    private static final SerializedString N_SEVERITY = new SerializedString("severity");
    private static final SerializedString N_SNI = new SerializedString("sni");
    private static final SerializedString N_SRC_IP = new SerializedString("src_ip");
    private static final SerializedString N_SRC_PORT = new SerializedString("src_port");
    private static final SerializedString N_START = new SerializedString("start");
    private static final SerializedString N_STATE = new SerializedString("state");
    private static final SerializedString N_STATUS = new SerializedString("status");
    private static final SerializedString N_SUBJECT = new SerializedString("subject");
    private static final SerializedString N_SUBJECT_TYPE = new SerializedString("subject_type");
    private static final SerializedString N_TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString N_TLS = new SerializedString("tls");
    private static final SerializedString N_TRANSPORT = new SerializedString("transport");
    private static final SerializedString N_TTL = new SerializedString("ttl");
    private static final SerializedString N_TYPE = new SerializedString("type");
    private static final SerializedString N_URL = new SerializedString("url");
    private static final SerializedString N_VERDICT = new SerializedString("verdict");
    private static final SerializedString N_VERSION = new SerializedString("version");

    /**
     * Per-writer scratch space: the formatted second of the last timestamp (events arrive in near capture
     * order) and a buffer for the encoded timestamp. Not thread-safe: one per generator.
     */
    public static final class Scratch {
        private long second = Long.MIN_VALUE;
        private int prefixLen;
        private char[] buf = new char[32];
        private String prefix = "";

        /** Encodes a timestamp into {@link #buf}; returns its length. */
        int encode(long tsMicros) {
            long s = Math.floorDiv(tsMicros, 1_000_000L);
            int micros = (int) Math.floorMod(tsMicros, 1_000_000L);
            if (s != second) {
                prefix = TS_SECOND.format(Instant.ofEpochSecond(s));
                second = s;
                prefixLen = prefix.length();
                if (buf.length < prefixLen + 8) {
                    buf = new char[prefixLen + 8];
                }
                prefix.getChars(0, prefixLen, buf, 0);
            }
            char[] out = buf;
            int p = prefixLen;
            out[p++] = '.';
            for (int div = 100_000; div > 0; div /= 10) {
                out[p++] = (char) ('0' + (micros / div) % 10);
            }
            out[p++] = 'Z';
            return p;
        }

        /** The same timestamp as text. */
        String text(long tsMicros) {
            int n = encode(tsMicros);
            return new String(buf, 0, n);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** ISO 8601 UTC with microseconds, e.g. {@code 2026-11-23T20:43:15.124242Z}. */
    public static String timestamp(long tsMicros) {
        return SCRATCH.get().text(tsMicros);
    }

    /** Writes one event as a JSON object, with this thread's scratch space. */
    public static void write(JsonGenerator g, WardenEvent e) throws IOException {
        write(g, e, SCRATCH.get());
    }

    /** Writes one event as a JSON object; {@code sc} belongs to {@code g}'s writer. */
    public static void write(JsonGenerator g, WardenEvent e, Scratch sc) throws IOException {
        g.writeStartObject();
        ts(g, sc, N_TIMESTAMP, e.tsMicros());
        FlowRef f = e.flow();
        if (f != null) {
            num(g, N_FLOW_ID, f.flowId());
            str(g, N_COMMUNITY_ID, f.communityId());
        }
        str(g, N_EVENT_TYPE, e.eventType());
        if (f != null) {
            str(g, N_SRC_IP, f.srcIp());
            num(g, N_SRC_PORT, f.srcPort());
            str(g, N_DEST_IP, f.destIp());
            num(g, N_DEST_PORT, f.destPort());
            str(g, N_PROTO, f.proto());
        }
        if (e instanceof DnsEvent d) {
            dns(g, d);
        } else if (e instanceof TlsEvent t) {
            if (t.decrypted()) {
                bool(g, N_DECRYPTED, true);
            }
            tls(g, t);
        } else if (e instanceof HttpEvent h) {
            if (h.decrypted()) {
                bool(g, N_DECRYPTED, true);
            }
            http(g, h);
        } else if (e instanceof McpEvent m) {
            if (m.decrypted()) {
                bool(g, N_DECRYPTED, true);
            }
            mcp(g, m);
        } else if (e instanceof FlowEvent fl) {
            flow(g, fl, sc);
        } else if (e instanceof VerdictEvent v) {
            verdict(g, v);
        } else if (e instanceof RulesEvent r) {
            rules(g, r);
        }
        g.writeEndObject();
    }

    private static void dns(JsonGenerator g, DnsEvent d) throws IOException {
        g.writeFieldName(N_DNS);
        g.writeStartObject();
        str(g, N_TYPE, d.type());
        num(g, N_ID, d.id());
        str(g, N_RRNAME, d.rrname());
        str(g, N_RRTYPE, d.rrtype());
        str(g, N_RCODE, d.rcode());
        if ("answer".equals(d.type())) {
            g.writeFieldName(N_ANSWERS);
            g.writeStartArray();
            for (DnsAnswer a : d.answers()) {
                g.writeStartObject();
                str(g, N_RRNAME, a.rrname());
                str(g, N_RRTYPE, a.rrtype());
                num(g, N_TTL, a.ttl());
                str(g, N_RDATA, a.rdata());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void tls(JsonGenerator g, TlsEvent t) throws IOException {
        g.writeFieldName(N_TLS);
        g.writeStartObject();
        str(g, N_SNI, t.sni());
        str(g, N_VERSION, t.version());
        list(g, N_ALPN, t.alpn());
        list(g, N_CLIENT_SUPPORTED_VERSIONS, t.clientSupportedVersions());
        str(g, N_JA4, t.ja4());
        str(g, N_ALPN_SELECTED, t.alpnSelected());
        str(g, N_CIPHER_SUITE, t.cipherSuite());
        g.writeEndObject();
    }

    private static void http(JsonGenerator g, HttpEvent h) throws IOException {
        g.writeFieldName(N_HTTP);
        g.writeStartObject();
        str(g, N_HOSTNAME, h.hostname());
        num(g, N_HTTP_PORT, h.httpPort());
        str(g, N_URL, h.url());
        str(g, N_HTTP_METHOD, h.method());
        str(g, N_PROTOCOL, h.protocol());
        str(g, N_HTTP_USER_AGENT, h.userAgent());
        str(g, N_HTTP_CONTENT_TYPE, h.contentType());
        if (h.status() != null) {
            num(g, N_STATUS, h.status());
        }
        num(g, N_LENGTH, h.length());
        g.writeEndObject();
    }

    private static void mcp(JsonGenerator g, McpEvent m) throws IOException {
        g.writeFieldName(N_MCP);
        g.writeStartObject();
        str(g, N_TRANSPORT, m.transport());
        str(g, N_ENDPOINT, m.endpoint());
        str(g, N_MESSAGE_ENDPOINT, m.messageEndpoint());
        str(g, N_HANDSHAKE, m.handshake());
        str(g, N_CLIENT_PROTOCOL_VERSION, m.clientProtocolVersion());
        str(g, N_PROTOCOL_VERSION, m.protocolVersion());
        str(g, N_CLIENT_NAME, m.clientName());
        str(g, N_CLIENT_VERSION, m.clientVersion());
        str(g, N_SERVER_NAME, m.serverName());
        str(g, N_SERVER_VERSION, m.serverVersion());
        str(g, N_SESSION_ID, m.sessionId());
        list(g, N_METHODS, m.methods());
        bool(g, N_ENCRYPTED, m.encrypted());
        list(g, N_EVIDENCE, m.evidence());
        str(g, N_SNI, m.sni());
        list(g, N_CLIENT_CAPABILITIES, m.clientCapabilities());
        list(g, N_SERVER_CAPABILITIES, m.serverCapabilities());
        g.writeEndObject();
    }

    private static void flow(JsonGenerator g, FlowEvent f, Scratch sc) throws IOException {
        g.writeFieldName(N_FLOW);
        g.writeStartObject();
        num(g, N_PKTS_TOSERVER, f.pktsToServer());
        num(g, N_PKTS_TOCLIENT, f.pktsToClient());
        num(g, N_BYTES_TOSERVER, f.bytesToServer());
        num(g, N_BYTES_TOCLIENT, f.bytesToClient());
        ts(g, sc, N_START, f.startMicros());
        ts(g, sc, N_END, f.tsMicros());
        str(g, N_STATE, f.state());
        str(g, N_REASON, f.reason());
        str(g, N_APP_PROTO, f.appProto());
        num(g, N_GAPS, f.gaps());
        if (!f.mcpMethods().isEmpty()) {
            list(g, N_MCP_METHODS, f.mcpMethods());
        }
        g.writeEndObject();
    }

    private static void verdict(JsonGenerator g, VerdictEvent v) throws IOException {
        g.writeFieldName(N_VERDICT);
        g.writeStartObject();
        str(g, N_ACTION, v.action());
        str(g, N_RULE, v.rule());
        str(g, N_SEVERITY, v.severity());
        str(g, N_REASON, v.reason());
        str(g, N_RULESET, v.ruleset());
        str(g, N_SUBJECT, v.subject());
        str(g, N_SUBJECT_TYPE, v.subjectType());
        g.writeEndObject();
    }

    private static void rules(JsonGenerator g, RulesEvent r) throws IOException {
        g.writeFieldName(N_RULES);
        g.writeStartObject();
        str(g, N_ACTION, r.action());
        str(g, N_RULESET, r.ruleset());
        num(g, N_RULES, r.rules());
        str(g, N_FILE, r.file());
        if (r.line() > 0) {
            num(g, N_LINE, r.line());
        }
        if (r.column() > 0) {
            num(g, N_COLUMN, r.column());
        }
        str(g, N_MESSAGE, r.message());
        g.writeEndObject();
    }

    private static void ts(JsonGenerator g, Scratch sc, SerializedString name, long micros) throws IOException {
        int n = sc.encode(micros);
        g.writeFieldName(name);
        g.writeString(sc.buf, 0, n);
    }

    private static void str(JsonGenerator g, SerializedString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    private static void num(JsonGenerator g, SerializedString name, int value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void num(JsonGenerator g, SerializedString name, long value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void bool(JsonGenerator g, SerializedString name, boolean value) throws IOException {
        g.writeFieldName(name);
        g.writeBoolean(value);
    }

    private static void list(JsonGenerator g, SerializedString name, List<String> values) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
            g.writeString(values.get(i));
        }
        g.writeEndArray();
    }
}
