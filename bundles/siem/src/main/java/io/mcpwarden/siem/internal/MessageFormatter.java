package io.mcpwarden.siem.internal;

import io.mcpwarden.events.EveJsonSink;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.siem.Format;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Builds one syslog message (RFC 5424 §6, without transport framing) for an event.
 *
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [mcpwarden@32473 seq="…" instance="…" event_type="…" …] MSG
 * </pre>
 * MSG is the EVE JSON line ({@link Format#RFC5424}) or a CEF:0 record ({@link Format#CEF}), UTF-8 without a
 * BOM (RFC 5424 MSG-ANY). Thread-confined: one instance per destination worker.
 */
public final class MessageFormatter {
    /** SD-ID of the product: name@PEN, 32473 is the documentation enterprise number of RFC 5612. */
    public static final String SD_ID = "mcpwarden@32473";
    public static final String VENDOR = "MCP Warden";
    public static final String PRODUCT = "mcp-warden";

    private final Format format;
    private final int facility;
    private final String hostname;
    private final String appName;
    private final String procId;
    private final String instanceId;
    private final String version;
    private final StringBuilder sb = new StringBuilder(1024);

    public MessageFormatter(Format format, int facility, String hostname, String appName, long pid, String instanceId,
                            String version) {
        this.format = format;
        this.facility = facility;
        this.hostname = headerField(hostname, 255);
        this.appName = headerField(appName, 48);
        this.procId = headerField(Long.toString(pid), 128);
        this.instanceId = instanceId;
        this.version = version;
    }

    /** MSGID of an event type (RFC 5424 §6.2.7). */
    public static String msgId(String eventType) {
        return switch (eventType) {
            case "dns" -> "DNS";
            case "tls" -> "TLS";
            case "http" -> "HTTP";
            case "mcp" -> "MCP";
            case "flow" -> "FLOW";
            case "verdict" -> "VERDICT";
            case "rules" -> "RULES";
            default -> "-";
        };
    }

    /**
     * The message for an event.
     *
     * @param maxBytes 0 for no limit; otherwise MSG is cut (at a UTF-8 character boundary) so the whole
     *                 message fits, and {@code truncated="<original MSG length in bytes>"} is added to the SD
     */
    public byte[] format(WardenEvent e, long seq, int maxBytes) {
        int sev = Severity.of(e);
        String msg = format == Format.CEF ? cef(e, seq, sev) : EveJsonSink.toJson(e);
        return assemble(sev, e.tsMicros(), msgId(e.eventType()), seq, e, msg, maxBytes);
    }

    /** A DROP message: {@code dropped} events (sequence numbers {@code firstSeq..lastSeq}, 0 when unknown) were lost. */
    public byte[] dropNotice(long tsMicros, long seq, long dropped, long firstSeq, long lastSeq, String reason) {
        String msg;
        if (format == Format.CEF) {
            StringBuilder c = new StringBuilder(256);
            cefHeader(c, "siem-drop", "Events dropped before delivery", Severity.cef(Severity.WARNING));
            ext(c, "rt", Long.toString(tsMicros / 1000));
            ext(c, "cat", "siem_drop");
            ext(c, "cnt", Long.toString(dropped));
            ext(c, "msg", reason);
            ext(c, "dvchost", hostname);
            ext(c, "deviceExternalId", instanceId);
            ext(c, "cn1", Long.toString(seq));
            ext(c, "cn1Label", "seq");
            msg = c.toString();
        } else {
            StringBuilder j = new StringBuilder(256);
            j.append("{\"timestamp\":\"");
            timestamp(j, tsMicros);
            j.append("\",\"event_type\":\"siem_drop\",\"dropped\":").append(dropped);
            if (firstSeq > 0) {
                j.append(",\"first_seq\":").append(firstSeq).append(",\"last_seq\":").append(lastSeq);
            }
            j.append(",\"reason\":\"").append(jsonEscape(reason)).append("\"}");
            msg = j.toString();
        }
        StringBuilder h = sb;
        h.setLength(0);
        header(h, Severity.WARNING, tsMicros, "DROP");
        h.append(" [").append(SD_ID);
        param(h, "seq", Long.toString(seq));
        param(h, "instance", instanceId);
        param(h, "event_type", "siem_drop");
        param(h, "dropped", Long.toString(dropped));
        if (firstSeq > 0) {
            param(h, "first_seq", Long.toString(firstSeq));
            param(h, "last_seq", Long.toString(lastSeq));
        }
        h.append("] ").append(msg);
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] assemble(int sev, long tsMicros, String msgId, long seq, WardenEvent e, String msg, int maxBytes) {
        StringBuilder h = sb;
        h.setLength(0);
        header(h, sev, tsMicros, msgId);
        int sdStart = h.length();
        h.append(" [").append(SD_ID);
        param(h, "seq", Long.toString(seq));
        param(h, "instance", instanceId);
        if (format == Format.RFC5424) {
            keyParams(h, e);
        } else {
            param(h, "event_type", e.eventType());
        }
        int sdEnd = h.length();
        h.append("] ");
        byte[] head = h.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = msg.getBytes(StandardCharsets.UTF_8);
        if (maxBytes <= 0 || head.length + body.length <= maxBytes) {
            byte[] out = new byte[head.length + body.length];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(body, 0, out, head.length, body.length);
            return out;
        }
        // RFC 5426 §3.2: truncate, and say so in the structured data
        h.setLength(sdEnd);
        param(h, "truncated", Integer.toString(body.length));
        h.append("] ");
        head = h.toString().getBytes(StandardCharsets.UTF_8);
        if (head.length > maxBytes - 16) { // key fields too long: keep only the dedupe key and the mark
            h.setLength(sdStart);
            h.append(" [").append(SD_ID);
            param(h, "seq", Long.toString(seq));
            param(h, "instance", instanceId);
            param(h, "event_type", e.eventType());
            param(h, "truncated", Integer.toString(body.length));
            h.append("] ");
            head = h.toString().getBytes(StandardCharsets.UTF_8);
        }
        int room = Math.max(0, maxBytes - head.length);
        int cut = Math.min(room, body.length);
        while (cut > 0 && cut < body.length && (body[cut] & 0xC0) == 0x80) {
            cut--; // do not split a UTF-8 sequence
        }
        byte[] out = new byte[Math.min(maxBytes, head.length + cut)];
        System.arraycopy(head, 0, out, 0, Math.min(head.length, out.length));
        if (out.length > head.length) {
            System.arraycopy(body, 0, out, head.length, out.length - head.length);
        }
        return out;
    }

    private void header(StringBuilder h, int sev, long tsMicros, String msgId) {
        h.append('<').append(facility * 8 + sev).append(">1 ");
        timestamp(h, tsMicros);
        h.append(' ').append(hostname).append(' ').append(appName).append(' ').append(procId).append(' ').append(msgId);
    }

    private static void keyParams(StringBuilder h, WardenEvent e) {
        param(h, "event_type", e.eventType());
        FlowRef f = e.flow();
        if (f != null) {
            param(h, "flow_id", Long.toString(f.flowId()));
            param(h, "src_ip", f.srcIp());
            param(h, "src_port", Integer.toString(f.srcPort()));
            param(h, "dest_ip", f.destIp());
            param(h, "dest_port", Integer.toString(f.destPort()));
            param(h, "proto", f.proto());
        }
        if (e instanceof McpEvent m) {
            param(h, "endpoint", m.endpoint());
            param(h, "server_name", m.serverName());
            param(h, "client_name", m.clientName());
            param(h, "session_id", m.sessionId());
        } else if (e instanceof VerdictEvent v) {
            param(h, "action", v.action());
            param(h, "rule", v.rule());
            param(h, "severity", v.severity());
            if ("mcp".equals(v.subjectType())) {
                param(h, "endpoint", v.subject());
            } else {
                param(h, "subject", v.subject());
            }
        } else if (e instanceof RulesEvent r) {
            param(h, "action", r.action());
            param(h, "ruleset", r.ruleset());
        }
    }

    /** SD-PARAM with the value escaped per RFC 5424 §6.3.3 ({@code "}, {@code \}, {@code ]}); null is left out. */
    static void param(StringBuilder h, String name, String value) {
        if (value == null) {
            return;
        }
        h.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                h.append('\\');
            }
            h.append(c);
        }
        h.append('"');
    }

    // ---------------------------------------------------------------- CEF

    private String cef(WardenEvent e, long seq, int sev) {
        StringBuilder c = new StringBuilder(512);
        String sig;
        String name;
        if (e instanceof DnsEvent d) {
            sig = "dns-" + d.type();
            name = "DNS " + d.type();
        } else if (e instanceof TlsEvent) {
            sig = "tls";
            name = "TLS handshake";
        } else if (e instanceof HttpEvent) {
            sig = "http";
            name = "HTTP request";
        } else if (e instanceof McpEvent m) {
            sig = m.encrypted() ? "mcp-encrypted" : "mcp-session";
            name = m.encrypted() ? "Suspected encrypted MCP session" : "MCP session";
        } else if (e instanceof FlowEvent) {
            sig = "flow";
            name = "Flow end";
        } else if (e instanceof VerdictEvent v) {
            sig = "verdict:" + v.rule();
            name = v.reason() != null ? v.reason() : v.action() + " " + v.subject();
        } else if (e instanceof RulesEvent r) {
            sig = "rules-" + r.action();
            name = "Rule set " + r.action();
        } else {
            sig = e.eventType();
            name = e.eventType();
        }
        cefHeader(c, sig, name, Severity.cef(sev));
        ext(c, "rt", Long.toString(e.tsMicros() / 1000));
        ext(c, "cat", e.eventType());
        FlowRef f = e.flow();
        if (f != null) {
            ext(c, "src", f.srcIp());
            ext(c, "spt", Integer.toString(f.srcPort()));
            ext(c, "dst", f.destIp());
            ext(c, "dpt", Integer.toString(f.destPort()));
            ext(c, "proto", f.proto());
            ext(c, "cn2", Long.toString(f.flowId()));
            ext(c, "cn2Label", "flowId");
        }
        if (e instanceof DnsEvent d) {
            ext(c, "cs6", d.rrname());
            ext(c, "cs6Label", "dnsQuery");
        } else if (e instanceof TlsEvent t) {
            ext(c, "dhost", t.sni());
        } else if (e instanceof HttpEvent h) {
            ext(c, "dhost", h.hostname());
            ext(c, "request", h.url());
            ext(c, "requestMethod", h.method());
            ext(c, "requestClientApplication", h.userAgent());
        } else if (e instanceof McpEvent m) {
            ext(c, "app", m.transport());
            ext(c, "cs1", m.endpoint());
            ext(c, "cs1Label", "mcpEndpoint");
            ext(c, "cs2", m.sessionId());
            ext(c, "cs2Label", "mcpSessionId");
            ext(c, "cs3", m.clientName());
            ext(c, "cs3Label", "mcpClientName");
            ext(c, "cs4", m.serverName());
            ext(c, "cs4Label", "mcpServerName");
            ext(c, "dhost", m.sni());
        } else if (e instanceof FlowEvent fl) {
            ext(c, "out", Long.toString(fl.bytesToServer()));
            ext(c, "in", Long.toString(fl.bytesToClient()));
            ext(c, "cs6", fl.reason());
            ext(c, "cs6Label", "flowEndReason");
        } else if (e instanceof VerdictEvent v) {
            ext(c, "act", v.action());
            ext(c, "cs5", v.rule());
            ext(c, "cs5Label", "rule");
            if ("mcp".equals(v.subjectType())) {
                ext(c, "cs1", v.subject());
                ext(c, "cs1Label", "mcpEndpoint");
            } else {
                ext(c, "cs6", v.subject());
                ext(c, "cs6Label", "subject");
            }
            ext(c, "msg", v.reason());
        } else if (e instanceof RulesEvent r) {
            ext(c, "act", r.action());
            ext(c, "fname", r.file());
            ext(c, "msg", r.message());
            ext(c, "cs5", r.ruleset());
            ext(c, "cs5Label", "ruleset");
        }
        ext(c, "dvchost", hostname);
        ext(c, "deviceExternalId", instanceId);
        ext(c, "cn1", Long.toString(seq));
        ext(c, "cn1Label", "seq");
        return c.toString();
    }

    private void cefHeader(StringBuilder c, String sig, String name, int sev) {
        c.append("CEF:0|");
        cefHeaderField(c, VENDOR);
        c.append('|');
        cefHeaderField(c, PRODUCT);
        c.append('|');
        cefHeaderField(c, version);
        c.append('|');
        cefHeaderField(c, sig);
        c.append('|');
        cefHeaderField(c, name);
        c.append('|').append(sev).append('|');
    }

    /** CEF header field: {@code \} → {@code \\}, {@code |} → {@code \|}; line breaks become spaces. */
    static void cefHeaderField(StringBuilder c, String v) {
        if (v == null) {
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> c.append("\\\\");
                case '|' -> c.append("\\|");
                case '\r', '\n' -> c.append(' ');
                default -> c.append(ch);
            }
        }
    }

    /** CEF extension {@code key=value}: {@code \} → {@code \\}, {@code =} → {@code \=}, CR/LF → {@code \r}/{@code \n}. */
    static void ext(StringBuilder c, String key, String v) {
        if (v == null) {
            return;
        }
        if (c.charAt(c.length() - 1) != '|') {
            c.append(' ');
        }
        c.append(key).append('=');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> c.append("\\\\");
                case '=' -> c.append("\\=");
                case '\n' -> c.append("\\n");
                case '\r' -> c.append("\\r");
                default -> c.append(ch);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** RFC 3339 UTC with microseconds, e.g. {@code 2026-11-23T20:43:14.909545Z}. */
    static void timestamp(StringBuilder b, long tsMicros) {
        long secs = Math.floorDiv(tsMicros, 1_000_000L);
        int micros = (int) Math.floorMod(tsMicros, 1_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        pad(b, micros, 6).append('Z');
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    /** HOSTNAME/APP-NAME/PROCID: printable US-ASCII without space, capped; empty → NILVALUE. */
    static String headerField(String v, int max) {
        if (v == null || v.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(v.length(), max));
        for (int i = 0; i < v.length() && b.length() < max; i++) {
            char c = v.charAt(i);
            b.append(c > 32 && c < 127 ? c : '_');
        }
        return b.toString();
    }

    private static String jsonEscape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
