package io.mcpwarden.dissect.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared assertion: every strict prefix of a complete message parses without throwing, as an incomplete prefix. */
final class TruncationCheck {
    private TruncationCheck() {
    }

    static void everyPrefix(byte[] full, DnsParse whole) {
        assertTrue(whole.complete());
        for (int cut = 0; cut < full.length; cut++) {
            DnsParse p = DnsDissector.parse(full, 0, cut);
            assertNotNull(p);
            assertFalse(p.complete(), "prefix " + cut + " of " + full.length);
            assertTrue(p.has(DnsAnomaly.INCOMPLETE), "prefix " + cut + ": " + p.anomalies());
            if (cut < DnsDissector.HEADER_LENGTH) {
                assertNull(p.message());
                continue;
            }
            // What a prefix yields is a prefix of what the whole message yields.
            var got = p.message().answers();
            var all = whole.message().answers();
            assertTrue(got.size() <= all.size());
            assertEquals(all.subList(0, got.size()), got, "prefix " + cut);
            assertTrue(p.message().questions().size() <= whole.message().questions().size());
        }
    }
}
