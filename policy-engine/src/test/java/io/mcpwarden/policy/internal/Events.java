package io.mcpwarden.policy.internal;

import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.TlsEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Events and files for the tests. */
final class Events {
    static final String CLIENT = "10.0.0.5";

    private Events() {
    }

    static FlowRef flow(String dest, int port) {
        return new FlowRef(1, "1:x", CLIENT, 40000, dest, port, "TCP");
    }

    static McpEvent mcp(String endpoint, String version, String client) {
        int colon = endpoint.indexOf(':');
        int slash = endpoint.indexOf('/');
        int port = colon < 0 ? 80 : Integer.parseInt(endpoint.substring(colon + 1, slash < 0 ? endpoint.length() : slash));
        return new McpEvent(1_700_000_000_000_000L, flow("192.0.2.10", port), "streamable-http", endpoint, null,
                "initialize", version, version, client, "1.0", "srv", "1.0", "sid", List.of("initialize", "tools/call"),
                false, List.of("initialize_request"), null, List.of(), List.of());
    }

    static TlsEvent tls(String sni) {
        return new TlsEvent(1_700_000_000_000_000L, flow("192.0.2.11", 443), sni, "TLS 1.3", List.of("h2"),
                List.of("0x0304"), "t13d", null, null);
    }

    static DnsEvent dns(String name) {
        return new DnsEvent(1_700_000_000_000_000L, new FlowRef(2, "1:y", CLIENT, 5353, "192.0.2.53", 53, "UDP"),
                "query", 7, name, "A", null, List.of());
    }

    static HttpEvent http(String host, int port, String url) {
        return new HttpEvent(1_700_000_000_000_000L, flow("192.0.2.12", port), host, port, url, "GET", "HTTP/1.1",
                "curl", "text/html", 200, 10);
    }

    static FlowEvent flowEnd() {
        return new FlowEvent(1_700_000_000_000_000L, flow("192.0.2.10", 80), 0, 1, 1, 60, 60, "closed", "fin", "mcp",
                0, List.of());
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a sibling temp file, then renames it over the target (as deployment tools do). */
    static void writeAtomically(Path file, String content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        write(tmp, content);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DRL with one rule that allows what the registry approves, with the registry entry's name as reason. */
    static final String REGISTERED_RULE = """
                package t
                import io.mcpwarden.policy.facts.Subject
                import io.mcpwarden.policy.facts.Verdict
                rule "reg"
                when
                    $s : Subject( registered == true )
                then
                    insert(Verdict.allow("reg", $s.registryName()));
                end
                """;

    /** A DRL with one rule that stamps every MCP event with the given tag as its reason. */
    static String stampRule(String tag) {
        return """
                package test.stamp
                import io.mcpwarden.policy.facts.Subject
                import io.mcpwarden.policy.facts.Verdict
                rule "stamp"
                when
                    Subject( eventType == "mcp" )
                then
                    insert(Verdict.alert("stamp", "info", "%s"));
                end
                """.formatted(tag);
    }
}
