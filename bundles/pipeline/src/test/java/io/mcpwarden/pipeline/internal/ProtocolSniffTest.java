package io.mcpwarden.pipeline.internal;

import io.mcpwarden.model.FlowEvent;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.WardenEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deciding a TCP flow's protocol from its first bytes when either side's first segments are short: client bytes
 * are held until there are enough; server bytes are never mixed into the client's.
 */
class ProtocolSniffTest {

    private static List<HttpEvent> http(List<WardenEvent> events) {
        return events.stream().filter(HttpEvent.class::isInstance).map(HttpEvent.class::cast).toList();
    }

    private static String appProto(List<WardenEvent> events) {
        for (WardenEvent e : events) {
            if (e instanceof FlowEvent f) {
                return f.appProto();
            }
        }
        return "(no flow event)";
    }

    @Test
    void requestSentInTinySegmentsIsStillHttp() {
        Conversation c = new Conversation(false);
        Conversation.Tcp t = c.tcp(10, 40001, 20, 8080);
        for (String part : new String[] {"GE", "T /a", " HTTP/1", ".1\r\n", "Host: a.test\r\n\r\n"}) {
            t.send(part);
        }
        t.reply(Conversation.json(200, "{}")).close();
        List<WardenEvent> events = c.run();
        assertEquals("http", appProto(events));
        List<HttpEvent> h = http(events);
        assertEquals(1, h.size());
        assertEquals("a.test", h.get(0).hostname());
        assertEquals("/a", h.get(0).url());
    }

    @Test
    void serverBytesBeforeTheRequestIsCompleteAreNotMixedIntoIt() {
        Conversation c = new Conversation(false);
        Conversation.Tcp t = c.tcp(10, 40002, 20, 8080);
        // the client's first 8 bytes are too few to decide; the server answers before the rest arrives
        t.send("GET / HT").reply(Conversation.json(200, "{}")).send("TP/1.1\r\nHost: b.test\r\n\r\n").close();
        List<WardenEvent> events = c.run();
        assertEquals("http", appProto(events));
        List<HttpEvent> h = http(events);
        assertEquals(1, h.size(), h.toString());
        assertEquals("b.test", h.get(0).hostname());
        assertEquals("/", h.get(0).url());
    }

    @Test
    void aServerBannerFirstIsNotDissectedAndDoesNotThrow() {
        Conversation c = new Conversation(false);
        c.tcp(10, 40003, 20, 2525).reply("220 ").send("EHLO x\r\n").reply("250 ok\r\n").close();
        List<WardenEvent> events = c.run();
        assertEquals(List.of(), http(events));
    }
}
