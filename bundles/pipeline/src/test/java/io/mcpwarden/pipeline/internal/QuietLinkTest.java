package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.RunControl;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live link that goes quiet: the events of its last packets reach the sink on the source's tick, without
 * waiting for more packets (or a full batch) or for the end — with one pipeline thread and with several.
 */
class QuietLinkTest {

    @Test
    void oneThread() throws Exception {
        assertEventsGoOutOnTheTick(1);
    }

    @Test
    void severalThreads() throws Exception {
        assertEventsGoOutOnTheTick(3);
    }

    private static void assertEventsGoOutOnTheTick(int threads) throws Exception {
        Conversation c = new Conversation(false);
        c.udp(10, 40000, 20, 53, dnsQuery("quiet.example.test"));
        CountDownLatch seen = new CountDownLatch(1);
        EventSink sink = e -> {
            if (e instanceof DnsEvent) {
                seen.countDown();
            }
        };
        boolean[] seenBeforeEnd = new boolean[1];
        PacketSource quiet = new MemorySource(c.source()) {
            private Runnable tick;
            private boolean ticked;

            @Override
            public boolean next(PacketRecord into) {
                if (super.next(into)) {
                    return true;
                }
                if (!ticked) { // the link is quiet now: a second passes, the source ticks, then it waits
                    ticked = true;
                    tick.run();
                    try {
                        seenBeforeEnd[0] = seen.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
                return false;
            }

            @Override
            public void onTick(Runnable t) {
                tick = t;
            }
        };
        new Pipeline(sink, InspectOptions.DEFAULTS.withThreads(threads)).run(quiet, RunControl.NONE);
        assertTrue(seenBeforeEnd[0], threads + " thread(s): the DNS event reached the sink only at the end");
    }

    private static byte[] dnsQuery(String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return b.toByteArray();
    }
}
