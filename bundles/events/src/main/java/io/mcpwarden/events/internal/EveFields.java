package io.mcpwarden.events.internal;

import com.fasterxml.jackson.core.JsonGenerator;
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

    /** The formatted second of the last timestamp (events arrive in near capture order). */
    private static final ThreadLocal<Object[]> LAST_SECOND = ThreadLocal.withInitial(() -> new Object[]{Long.MIN_VALUE, ""});

    /** ISO 8601 UTC with microseconds, e.g. {@code 2026-11-23T20:43:15.124242Z}. */
    public static String timestamp(long tsMicros) {
        long second = Math.floorDiv(tsMicros, 1_000_000L);
        int micros = (int) Math.floorMod(tsMicros, 1_000_000L);
        Object[] last = LAST_SECOND.get();
        String prefix;
        if ((long) last[0] == second) {
            prefix = (String) last[1];
        } else {
            prefix = TS_SECOND.format(Instant.ofEpochSecond(second));
            last[0] = second;
            last[1] = prefix;
        }
        char[] out = new char[prefix.length() + 8];
        prefix.getChars(0, prefix.length(), out, 0);
        int p = prefix.length();
        out[p++] = '.';
        for (int div = 100_000; div > 0; div /= 10) {
            out[p++] = (char) ('0' + (micros / div) % 10);
        }
        out[p] = 'Z';
        return new String(out);
    }

    public static void write(JsonGenerator g, WardenEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("timestamp", timestamp(e.tsMicros()));
        FlowRef f = e.flow();
        if (f != null) {
            g.writeNumberField("flow_id", f.flowId());
            str(g, "community_id", f.communityId());
        }
        g.writeStringField("event_type", e.eventType());
        if (f != null) {
            str(g, "src_ip", f.srcIp());
            g.writeNumberField("src_port", f.srcPort());
            str(g, "dest_ip", f.destIp());
            g.writeNumberField("dest_port", f.destPort());
            str(g, "proto", f.proto());
        }
        if (e instanceof DnsEvent d) {
            dns(g, d);
        } else if (e instanceof TlsEvent t) {
            tls(g, t);
        } else if (e instanceof HttpEvent h) {
            http(g, h);
        } else if (e instanceof McpEvent m) {
            mcp(g, m);
        } else if (e instanceof FlowEvent fl) {
            flow(g, fl);
        } else if (e instanceof VerdictEvent v) {
            verdict(g, v);
        } else if (e instanceof RulesEvent r) {
            rules(g, r);
        }
        g.writeEndObject();
    }

    private static void dns(JsonGenerator g, DnsEvent d) throws IOException {
        g.writeObjectFieldStart("dns");
        str(g, "type", d.type());
        g.writeNumberField("id", d.id());
        str(g, "rrname", d.rrname());
        str(g, "rrtype", d.rrtype());
        str(g, "rcode", d.rcode());
        if ("answer".equals(d.type())) {
            g.writeArrayFieldStart("answers");
            for (DnsAnswer a : d.answers()) {
                g.writeStartObject();
                str(g, "rrname", a.rrname());
                str(g, "rrtype", a.rrtype());
                g.writeNumberField("ttl", a.ttl());
                str(g, "rdata", a.rdata());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void tls(JsonGenerator g, TlsEvent t) throws IOException {
        g.writeObjectFieldStart("tls");
        str(g, "sni", t.sni());
        str(g, "version", t.version());
        list(g, "alpn", t.alpn());
        list(g, "client_supported_versions", t.clientSupportedVersions());
        str(g, "ja4", t.ja4());
        str(g, "alpn_selected", t.alpnSelected());
        str(g, "cipher_suite", t.cipherSuite());
        g.writeEndObject();
    }

    private static void http(JsonGenerator g, HttpEvent h) throws IOException {
        g.writeObjectFieldStart("http");
        str(g, "hostname", h.hostname());
        g.writeNumberField("http_port", h.httpPort());
        str(g, "url", h.url());
        str(g, "http_method", h.method());
        str(g, "protocol", h.protocol());
        str(g, "http_user_agent", h.userAgent());
        str(g, "http_content_type", h.contentType());
        if (h.status() != null) {
            g.writeNumberField("status", h.status());
        }
        g.writeNumberField("length", h.length());
        g.writeEndObject();
    }

    private static void mcp(JsonGenerator g, McpEvent m) throws IOException {
        g.writeObjectFieldStart("mcp");
        str(g, "transport", m.transport());
        str(g, "endpoint", m.endpoint());
        str(g, "message_endpoint", m.messageEndpoint());
        str(g, "handshake", m.handshake());
        str(g, "client_protocol_version", m.clientProtocolVersion());
        str(g, "protocol_version", m.protocolVersion());
        str(g, "client_name", m.clientName());
        str(g, "client_version", m.clientVersion());
        str(g, "server_name", m.serverName());
        str(g, "server_version", m.serverVersion());
        str(g, "session_id", m.sessionId());
        list(g, "methods", m.methods());
        g.writeBooleanField("encrypted", m.encrypted());
        list(g, "evidence", m.evidence());
        str(g, "sni", m.sni());
        list(g, "client_capabilities", m.clientCapabilities());
        list(g, "server_capabilities", m.serverCapabilities());
        g.writeEndObject();
    }

    private static void flow(JsonGenerator g, FlowEvent f) throws IOException {
        g.writeObjectFieldStart("flow");
        g.writeNumberField("pkts_toserver", f.pktsToServer());
        g.writeNumberField("pkts_toclient", f.pktsToClient());
        g.writeNumberField("bytes_toserver", f.bytesToServer());
        g.writeNumberField("bytes_toclient", f.bytesToClient());
        g.writeStringField("start", timestamp(f.startMicros()));
        g.writeStringField("end", timestamp(f.tsMicros()));
        str(g, "state", f.state());
        str(g, "reason", f.reason());
        str(g, "app_proto", f.appProto());
        g.writeNumberField("gaps", f.gaps());
        if (!f.mcpMethods().isEmpty()) {
            list(g, "mcp_methods", f.mcpMethods());
        }
        g.writeEndObject();
    }

    private static void verdict(JsonGenerator g, VerdictEvent v) throws IOException {
        g.writeObjectFieldStart("verdict");
        str(g, "action", v.action());
        str(g, "rule", v.rule());
        str(g, "severity", v.severity());
        str(g, "reason", v.reason());
        str(g, "ruleset", v.ruleset());
        str(g, "subject", v.subject());
        str(g, "subject_type", v.subjectType());
        g.writeEndObject();
    }

    private static void rules(JsonGenerator g, RulesEvent r) throws IOException {
        g.writeObjectFieldStart("rules");
        str(g, "action", r.action());
        str(g, "ruleset", r.ruleset());
        g.writeNumberField("rules", r.rules());
        str(g, "file", r.file());
        if (r.line() > 0) {
            g.writeNumberField("line", r.line());
        }
        if (r.column() > 0) {
            g.writeNumberField("column", r.column());
        }
        str(g, "message", r.message());
        g.writeEndObject();
    }

    private static void str(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void list(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
