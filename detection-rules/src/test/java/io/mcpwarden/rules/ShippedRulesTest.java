package io.mcpwarden.rules;

import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RuleCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.mcpwarden.rules.RulePack.decisions;
import static io.mcpwarden.rules.RulePack.dnsQuery;
import static io.mcpwarden.rules.RulePack.http;
import static io.mcpwarden.rules.RulePack.mcp;
import static io.mcpwarden.rules.RulePack.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each shipped rule with a positive and a negative case, through the real engine. */
class ShippedRulesTest {
    static Policy policy;

    @BeforeAll
    static void open() {
        policy = RulePack.open();
        assertTrue(policy.info().lastErrors().isEmpty(), policy.info().lastErrors().toString());
        assertEquals(2, policy.registry().servers().size());
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    private static Set<String> judge(io.mcpwarden.model.WardenEvent e) {
        List<VerdictEvent> v = policy.judge(e);
        v.forEach(x -> assertEquals(policy.info().hash(), x.ruleset()));
        return decisions(v);
    }

    @Test
    void packCompiles() {
        RuleCheck c = PolicyService.standalone().check(RulePack.RULES);
        assertTrue(c.ok(), c.errors().toString());
        assertEquals(8, c.rules());
        assertEquals(c.hash(), policy.info().hash());
    }

    // shadow-mcp.drl
    @Test
    void shadowServerIsBlocked() {
        Set<String> d = judge(mcp("rpc.internal-dev.test:8080/api/rpc", "2025-11-25", "c"));
        assertTrue(d.contains("block:shadow-mcp-server"), d.toString());
    }

    @Test
    void registeredServerIsNotBlockedAsShadow() {
        Set<String> d = judge(mcp("eu.approved-mcp.test:3001/mcp", "2025-11-25", "c"));
        assertFalse(d.contains("block:shadow-mcp-server"), d.toString());
    }

    @Test
    void encryptedShadowSessionIsBlocked() {
        Set<String> d = judge(mcp("mcp.unknown-vendor.test:443", null, null, "198.51.100.9", true,
                "mcp.unknown-vendor.test"));
        assertTrue(d.contains("block:shadow-mcp-server"), d.toString());
    }

    // first-sight.drl
    @Test
    void firstSightAlertsOnceThenNotAgain() {
        Set<String> first = judge(mcp("fresh.elsewhere.test:9000/mcp", "2025-11-25", "c"));
        assertTrue(first.contains("alert:new-mcp-server"), first.toString());
        Set<String> second = judge(mcp("fresh.elsewhere.test:9000/mcp", "2025-11-25", "c"));
        assertFalse(second.contains("alert:new-mcp-server"), second.toString());
        assertTrue(second.contains("block:shadow-mcp-server"), "still judged otherwise: " + second);
    }

    @Test
    void firstSightIsOnlyAboutMcp() {
        assertFalse(judge(http("plain-web.test", 80, "/index.html")).contains("alert:new-mcp-server"));
    }

    // mcp-like-names.drl
    @Test
    void unregisteredMcpLookingTlsNameAlerts() {
        assertTrue(judge(tls("mcp.shadowy.test")).contains("alert:mcp-like-tls-name"));
        assertTrue(judge(tls("tools-mcp.vendor.test")).contains("alert:mcp-like-tls-name"));
    }

    @Test
    void ordinaryOrRegisteredTlsNamesDoNotAlert() {
        assertEquals(Set.of(), judge(tls("shop.store.test")));
        assertEquals(Set.of(), judge(tls("api.approved-mcp.test")), "registered");
    }

    @Test
    void unregisteredMcpLookingDnsNameAlerts() {
        assertTrue(judge(dnsQuery("remote-mcp.shadow.test")).contains("alert:mcp-like-dns-name"));
    }

    @Test
    void ordinaryDnsNameDoesNotAlert() {
        assertEquals(Set.of(), judge(dnsQuery("cdn.shop.test")));
        assertEquals(Set.of(), judge(dnsQuery("sse.approved-mcp.test")));
    }

    // deprecated-revision.drl
    @Test
    void deprecatedRevisionAlerts() {
        assertTrue(judge(mcp("a.approved-mcp.test:80/mcp", "2025-03-26", "c")).contains("alert:deprecated-mcp-revision"));
        assertTrue(judge(mcp("a.approved-mcp.test:80/mcp", "2024-11-05", "c")).contains("alert:deprecated-mcp-revision"));
    }

    @Test
    void currentRevisionDoesNotAlert() {
        assertFalse(judge(mcp("a.approved-mcp.test:80/mcp", "2025-11-25", "c")).contains("alert:deprecated-mcp-revision"));
        assertFalse(judge(mcp("a.approved-mcp.test:80/mcp", "2026-07-28", "c")).contains("alert:deprecated-mcp-revision"));
        assertFalse(judge(mcp("a.approved-mcp.test:80/mcp", "2099-01-01", "c")).contains("alert:deprecated-mcp-revision"),
                "unknown revisions are not called deprecated");
    }

    // lookalike.drl
    @Test
    void lookalikeNamesAreBlocked() {
        assertTrue(judge(mcp("api.appr0ved-mcp.test:3001/mcp", "2025-11-25", "c")).contains("block:lookalike-server"));
        assertTrue(judge(tls("api.approved-mcp.example")).contains("block:lookalike-server"));
        assertTrue(judge(dnsQuery("t00ls.example.test")).contains("block:lookalike-server"));
        assertTrue(judge(http("tooIs.example.test", 8443, "/mcp")).contains("block:lookalike-server"));
    }

    @Test
    void genuineAndUnrelatedNamesAreNotLookalikes() {
        assertFalse(judge(mcp("api.approved-mcp.test:3001/mcp", "2025-11-25", "c")).contains("block:lookalike-server"));
        assertFalse(judge(dnsQuery("rpc.devbox.test")).contains("block:lookalike-server"));
        assertFalse(judge(tls("docs.example.test")).contains("block:lookalike-server"));
    }

    // registered.drl
    @Test
    void registeredServerIsAllowed() {
        Set<String> d = judge(mcp("api.approved-mcp.test:3001/mcp", "2025-11-25", "corpus-sdk-client"));
        assertTrue(d.contains("allow:registered-mcp-server"), d.toString());
        assertFalse(d.stream().anyMatch(s -> s.startsWith("block:")), d.toString());
        Set<String> tools = judge(mcp("tools.example.test:8443/mcp", "2025-11-25", "claude-code"));
        assertTrue(tools.contains("allow:registered-mcp-server"), tools.toString());
    }

    @Test
    void registryTermsAreEnforced() {
        Set<String> wrongClient = judge(mcp("tools.example.test:8443/mcp", "2025-11-25", "unknown-agent"));
        assertTrue(wrongClient.contains("alert:registry-terms-violated"), wrongClient.toString());
        assertFalse(wrongClient.contains("allow:registered-mcp-server"));
        Set<String> wrongRange = judge(mcp("tools.example.test:8443/mcp", "2025-11-25", "claude-code", "203.0.113.99",
                false, null));
        assertTrue(wrongRange.contains("alert:registry-terms-violated"), wrongRange.toString());
        Set<String> wrongPath = judge(mcp("tools.example.test:8443/admin", "2025-11-25", "claude-code"));
        assertFalse(wrongPath.contains("allow:registered-mcp-server"), "path outside the registered prefix");
        assertTrue(wrongPath.contains("block:shadow-mcp-server"), wrongPath.toString());
    }
}
