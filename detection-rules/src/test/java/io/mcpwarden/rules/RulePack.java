package io.mcpwarden.rules;

import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens the shipped rule pack with the example registry through the real engine, and builds events.
 * Rule authors: copy this and a test class to unit-test their own DRL files.
 */
final class RulePack {
    static final Path RULES = find("warden.rules", "rules");
    static final Path REGISTRY = find("warden.registry", "registry.example.yaml");
    static final String CLIENT = "10.0.0.5";

    private RulePack() {
    }

    /** The system property (set by Surefire), else the module directory, else the module under the project root. */
    private static Path find(String property, String name) {
        String p = System.getProperty(property);
        if (p != null) {
            return Path.of(p);
        }
        Path here = Path.of(name);
        return Files.exists(here) ? here : Path.of("detection-rules", name);
    }

    /** The shipped rules and example registry; no watcher, no cache (every event enters the engine). */
    static Policy open() {
        if (!Files.isDirectory(RULES)) {
            throw new IllegalStateException("rules directory not found: " + RULES.toAbsolutePath());
        }
        return PolicyService.standalone().open(new PolicyConfig(RULES, REGISTRY, false, Duration.ZERO, 100));
    }

    /** "action:rule" of each verdict, sorted. */
    static Set<String> decisions(List<VerdictEvent> verdicts) {
        Set<String> s = new TreeSet<>();
        verdicts.forEach(v -> s.add(v.action() + ":" + v.rule()));
        return s;
    }

    static FlowRef flow(String dest, int port) {
        return new FlowRef(1, "1:x", CLIENT, 40000, dest, port, "TCP");
    }

    static McpEvent mcp(String endpoint, String version, String client) {
        return mcp(endpoint, version, client, "198.51.100.20", false, null);
    }

    static McpEvent mcp(String endpoint, String version, String client, String destIp, boolean encrypted, String sni) {
        int colon = endpoint.indexOf(':');
        int slash = endpoint.indexOf('/');
        int port = colon < 0 ? 443 : Integer.parseInt(endpoint.substring(colon + 1, slash < 0 ? endpoint.length() : slash));
        return new McpEvent(1_700_000_000_000_000L, flow(destIp, port), encrypted ? null : "streamable-http", endpoint,
                null, encrypted ? null : "initialize", version, version, client, "1.0", "srv", "1.0", null,
                List.of("initialize"), encrypted, List.of(encrypted ? "sni_name_token" : "initialize_request"), sni,
                List.of(), List.of());
    }

    static TlsEvent tls(String sni) {
        return new TlsEvent(1_700_000_000_000_000L, flow("198.51.100.30", 443), sni, "TLS 1.3", List.of("h2"),
                List.of("0x0304"), "t13d", null, null);
    }

    static DnsEvent dnsQuery(String name) {
        return new DnsEvent(1_700_000_000_000_000L, new FlowRef(2, "1:y", CLIENT, 5353, "192.0.2.53", 53, "UDP"),
                "query", 7, name, "A", null, List.of());
    }

    static HttpEvent http(String host, int port, String url) {
        return new HttpEvent(1_700_000_000_000_000L, flow("198.51.100.40", port), host, port, url, "GET", "HTTP/1.1",
                "curl", "text/html", 200, 10);
    }
}
