package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.RegistryCheck;
import io.mcpwarden.policy.RuleError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryTest {
    static final String MINIMAL = """
            servers:
              - name: approved-api
                endpoint: "*.approved-mcp.test"        # host pattern (* wildcard), optional :port and /path prefix
              - name: tools
                endpoint: "tools.example.test:8443/mcp"
            """;

    static RegistryParser.Parsed parse(String yaml) {
        return RegistryParser.parse("registry.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static RegistryImpl registry(String yaml) {
        RegistryParser.Parsed p = parse(yaml);
        assertTrue(p.check().ok(), p.check().errors().toString());
        return p.registry();
    }

    static Optional<String> name(RegistryImpl r, String host, int port, String path) {
        return r.match(host, port, path).map(s -> s.name());
    }

    @Test
    void minimalFormMatchesExactlyAsDocumented() {
        RegistryImpl r = registry(MINIMAL);
        assertEquals(2, r.servers().size());
        assertEquals(Optional.of("approved-api"), name(r, "api.approved-mcp.test", 3001, "/mcp"));
        assertEquals(Optional.of("approved-api"), name(r, "a.b.approved-mcp.test", 0, null));
        assertEquals(Optional.of("approved-api"), name(r, "SSE.Approved-MCP.test.", 80, "/sse"));
        assertEquals(Optional.empty(), name(r, "approved-mcp.test", 80, "/"), "the wildcard needs a subdomain");
        assertEquals(Optional.empty(), name(r, "xapproved-mcp.test", 80, "/"));
        assertEquals(Optional.of("tools"), name(r, "tools.example.test", 8443, "/mcp"));
        assertEquals(Optional.of("tools"), name(r, "tools.example.test", 8443, "/mcp/sub?x=1"));
        assertEquals(Optional.of("tools"), name(r, "tools.example.test", 0, null), "host only when unknown");
        assertEquals(Optional.empty(), name(r, "tools.example.test", 8080, "/mcp"), "other port");
        assertEquals(Optional.empty(), name(r, "tools.example.test", 8443, "/mcpx"), "segment-wise prefix");
        assertEquals(Optional.empty(), name(r, "tools.example.test", 8443, "/api"));
        assertEquals(Optional.empty(), name(r, "evil.example.test", 8443, "/mcp"));
    }

    @Test
    void optionalFieldsAreRead() {
        RegistryImpl r = registry("""
                servers:
                  - name: full
                    endpoint: https://full.example.test/mcp
                    owner: team
                    sni: ["edge.example.test"]
                    ip_ranges: ["198.51.100.0/24", "2001:db8::/32"]
                    protocol_versions: ["2025-11-25"]
                    clients: [claude-code]
                    tools: [search]
                    notes: 42
                """);
        var s = r.servers().get(0);
        assertEquals("42", s.notes(), "a number where text belongs is its text");
        assertEquals(List.of("search"), s.tools());
        assertEquals(List.of("claude-code", "codex"), registry("""
                servers:
                  - name: one
                    endpoint: one.example.test
                    clients: claude-code
                  - name: two
                    endpoint: two.example.test
                    clients: [claude-code, codex]
                  -
                """).servers().stream().flatMap(x -> x.clients().stream()).distinct().toList(),
                "a single value is a one-item list; an empty entry is skipped");
        assertEquals("team", s.owner());
        assertEquals(2, s.ipRanges().size());
        assertEquals(Optional.of("full"), name(r, "edge.example.test", 443, null), "sni names match by host");
    }

    @Test
    void errorsCarryLineNumbers() {
        assertError("servers:\n  - name: a\n    endpoint: \"x.test\n", 3, "");
        assertError("servers:\n  - name: a\n    endpoint: x.test\n    colour: red\n", 4, "colour");
        assertError("servers:\n  - name: a\n    endpoint: x.test\n  - name: b\n    endpoint: \"bad host!\"\n", 5,
                "bad character");
        assertError("servers:\n  - name: a\n    endpoint: x.test\n    ip_ranges: [\"10.0.0.0/99\"]\n", 4, "prefix");
        assertError("servers:\n  - name: a\n    endpoint: x.test\n  - name: a\n    endpoint: y.test\n", 4,
                "duplicate");
        assertError("servers:\n  - name: a\n    endpoint: x.test:99999\n", 3, "range");
        assertError("servers:\n  - name: a\n", 2, "no endpoint");
    }

    private static void assertError(String yaml, int line, String text) {
        RegistryCheck c = parse(yaml).check();
        assertFalse(c.ok(), yaml);
        RuleError e = c.errors().get(0);
        assertEquals("registry.yaml", e.file());
        assertTrue(e.line() >= line && e.line() <= line + 1, "line " + line + " expected: " + e);
        assertTrue(e.message().contains(text), e.message());
    }

    @Test
    void lookalikes() {
        RegistryImpl r = registry(MINIMAL);
        // brand label typo or homoglyph under the same TLD
        assertEquals(Optional.of("approved-api"), r.lookalikeOf("api.appr0ved-mcp.test"));
        assertEquals(Optional.of("approved-api"), r.lookalikeOf("api.approvedd-mcp.test"));
        assertEquals(Optional.of("approved-api"), r.lookalikeOf("api.aproved-mpc.test"));
        // same brand label under a different parent domain
        assertEquals(Optional.of("approved-api"), r.lookalikeOf("api.approved-mcp.example"));
        // first label of an exact host, same parent
        assertEquals(Optional.of("tools"), r.lookalikeOf("t00ls.example.test"));
        assertEquals(Optional.of("tools"), r.lookalikeOf("tool.example.test"));
        // negatives
        assertEquals(Optional.empty(), r.lookalikeOf("api.approved-mcp.test"), "registered itself");
        assertEquals(Optional.empty(), r.lookalikeOf("rpc.devbox.test"));
        assertEquals(Optional.empty(), r.lookalikeOf("mcp.shadow-tools.test"));
        assertEquals(Optional.empty(), r.lookalikeOf("shop.example-store.test"));
        assertEquals(Optional.empty(), r.lookalikeOf("203.0.113.10"));
        assertEquals(Optional.empty(), r.lookalikeOf("docs.example.test"), "different first label");
    }

    @Test
    void lookalikeDistanceIsBounded() {
        assertEquals(3, Lookalike.distance("abcdefgh", "zzzzzzzz", 2));
        assertEquals(1, Lookalike.distance("tools", "tool", 2));
        assertEquals("tools", Lookalike.skeleton("t00ls"));
        assertEquals("mlcrosoft", Lookalike.skeleton("rnicrosoft"));
    }

    @Test
    void cidrContains() {
        assertTrue(Cidr.parse("198.51.100.0/24").contains("198.51.100.7"));
        assertFalse(Cidr.parse("198.51.100.0/24").contains("198.51.101.7"));
        assertTrue(Cidr.parse("2001:db8::/32").contains("2001:db8::1"));
        assertFalse(Cidr.parse("10.0.0.0/8").contains("not-an-address"));
    }

    @Test
    void aFileOfTheWrongShapeSaysWhatShapeIsExpected() {
        assertEquals("the registry must be a mapping with a 'servers' list",
                message("servers:\\n - bad\n").split(",")[0]);
        assertEquals("server entry 1 must be a mapping with at least 'name' and 'endpoint'",
                message("servers: tools.example.test\n"));
        assertEquals("server entry 2 must be a mapping with at least 'name' and 'endpoint'",
                message("servers:\n  - name: a\n    endpoint: a.test\n  - tools.example.test\n"));
        assertEquals("'tools' must be a list of text, not a mapping",
                message("servers:\n  - name: a\n    endpoint: a.test\n    tools:\n      x: 1\n"));
        assertEquals("item 2 of 'tools' must be text, not a mapping",
                message("servers:\n  - name: a\n    endpoint: a.test\n    tools: [x, {y: 1}]\n"));
        assertEquals("unknown top-level field 'server' (the registry has one: servers)",
                message("server:\n  - name: a\n    endpoint: a.test\n"));
        assertEquals("'endpoint' given twice in server entry 1",
                message("servers:\n  - name: a\n    endpoint: a.test\n    endpoint: b.test\n"));
        assertEquals("'name' must be text, not a list",
                message("servers:\n  - name: [a, b]\n    endpoint: a.test\n"));
    }

    private static String message(String yaml) {
        RegistryCheck c = parse(yaml).check();
        assertTrue(!c.ok(), yaml);
        String m = c.errors().get(0).message();
        assertTrue(!m.contains("io.mcpwarden") && !m.contains("Cannot construct"), m);
        return m;
    }
}
