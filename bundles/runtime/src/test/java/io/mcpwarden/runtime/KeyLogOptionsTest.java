package io.mcpwarden.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which key log a capture gets: --keylog, NAME.keylog or NAME.pcap.keylog beside it, or none (--no-keylog). */
class KeyLogOptionsTest {
    static final String LINE = "CLIENT_RANDOM " + "01".repeat(32) + " " + "aa".repeat(48) + "\n";

    @Test
    void keyLogBesideTheCaptureIsFound(@TempDir Path dir) throws Exception {
        Path pcap = Files.createFile(dir.resolve("P3.pcap"));
        assertEquals(List.of(dir.resolve("P3.keylog"), dir.resolve("P3.pcap.keylog")), KeyLogOptions.besides(pcap));
        KeyLogOptions o = new KeyLogOptions();
        assertNull(o.forCapture(pcap).keys(), "nothing beside it yet");
        Files.writeString(dir.resolve("P3.pcap.keylog"), LINE);
        KeyLogOptions.Choice c = o.forCapture(pcap);
        assertEquals(1, c.keys().size());
        assertEquals("key log P3.pcap.keylog (found beside the capture, 1 secret)", c.note());
        Files.writeString(dir.resolve("P3.keylog"), LINE + LINE.replace("01", "02"));
        assertEquals(2, o.forCapture(pcap).keys().size(), "NAME.keylog comes first");
        o.off = true;
        assertNull(o.forCapture(pcap).keys(), "--no-keylog");
    }

    @Test
    void explicitKeyLogIsReadOnceAndItsMalformedLinesReportedOnce(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.log");
        Files.writeString(keys, "# comment\n" + LINE + "garbage\n" + LINE.replace("01", "03"));
        KeyLogOptions o = new KeyLogOptions();
        o.file = keys;
        KeyLogOptions.Choice a = o.forCapture(dir.resolve("a.pcap"));
        KeyLogOptions.Choice b = o.forCapture(dir.resolve("b.pcap"));
        assertTrue(a == b, "read once");
        assertEquals(2, a.keys().size());
        String w = o.warning(a);
        assertNotNull(w);
        assertTrue(w.contains("1 malformed line (3)"), w);
        assertNull(o.warning(b), "reported once");
    }

    @Test
    void missingExplicitKeyLogIsAnError(@TempDir Path dir) {
        KeyLogOptions o = new KeyLogOptions();
        o.file = dir.resolve("nope.log");
        KeyLogOptions.Choice c = o.forCapture(null);
        assertNull(c.keys());
        assertTrue(c.error().contains("no such file"), c.error());
    }

    @Test
    void liveCaptureFollowsTheExplicitKeyLog(@TempDir Path dir) throws Exception {
        KeyLogOptions o = new KeyLogOptions();
        assertNull(o.forLive().keys(), "no --keylog: none (nothing lies beside a live interface)");
        o.file = dir.resolve("nope.log");
        assertTrue(o.forLive().error().contains("no such file"), o.forLive().error());
        Path keys = dir.resolve("keys.log");
        Files.writeString(keys, LINE + "garbage\n");
        o.file = keys;
        KeyLogOptions.Choice c = o.forLive();
        try {
            assertNull(c.error());
            assertTrue(c.keys().live());
            assertEquals(1, c.keys().size());
            assertTrue(o.warning(c).contains("1 malformed line(s) skipped"), o.warning(c));
            Files.writeString(keys, LINE.replace("01", "04"), java.nio.file.StandardOpenOption.APPEND);
            c.follower().run();
            assertEquals(2, c.keys().size(), "a line appended later is read");
            assertEquals("key log keys.log (followed, 2 secrets, 1 malformed line skipped)", c.follower().describe());
        } finally {
            c.follower().close();
        }
    }
}
