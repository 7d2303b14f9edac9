package io.mcpwarden.policy.internal;

import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java records of the model resolve as Drools facts on the Drools version in use. */
class RecordFactsTest {

    @Test
    void recordComponentsAreFactProperties(@TempDir Path dir) {
        Events.write(dir.resolve("records.drl"), """
                package test.records
                import io.mcpwarden.model.McpEvent
                import io.mcpwarden.model.TlsEvent
                import io.mcpwarden.policy.facts.Subject
                import io.mcpwarden.policy.facts.Verdict
                rule "record-property"
                when
                    McpEvent( clientName == "probe-client", methods contains "tools/call", $ep : endpoint )
                    Subject( eventType == "mcp", port == 8080 )
                then
                    insert(Verdict.alert("record-property", "low", "saw " + $ep));
                end
                rule "record-accessor"
                when
                    TlsEvent( sni() == "a.example.test", alpn contains "h2" )
                then
                    insert(Verdict.alert("record-accessor", "low", "tls"));
                end
                """);
        try (Policy p = new PolicyImpl(new PolicyConfig(dir, null, false, Duration.ZERO, 10), 50)) {
            assertEquals(2, p.info().rules(), p.info().toString());
            List<VerdictEvent> v = p.judge(Events.mcp("h.example.test:8080/mcp", "2025-11-25", "probe-client"));
            assertEquals(1, v.size());
            assertEquals("record-property", v.get(0).rule());
            assertEquals("saw h.example.test:8080/mcp", v.get(0).reason());
            assertEquals(p.info().hash(), v.get(0).ruleset());
            assertEquals("mcp", v.get(0).subjectType());
            assertTrue(p.judge(Events.mcp("h.example.test:8080/mcp", "2025-11-25", "other")).isEmpty());
            assertEquals("record-accessor", p.judge(Events.tls("a.example.test")).get(0).rule());
            assertTrue(p.judge(Events.tls("b.example.test")).isEmpty());
            assertTrue(p.judge(Events.flowEnd()).isEmpty(), "flow events pass unjudged");
        }
    }
}
