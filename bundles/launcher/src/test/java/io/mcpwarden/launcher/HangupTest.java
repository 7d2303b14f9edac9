package io.mcpwarden.launcher;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real SIGHUP to this process while a reloading command (run) is still starting, before it registered its
 * reload action: it is ignored with a line saying so, and the process goes on.
 */
class HangupTest {

    @Test
    void sighupWhileRunStartsIsIgnoredNotAStop() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertNull(Hangup.install(() -> null, true)); // no framework yet: nothing registered to reload
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!captured.toString(StandardCharsets.UTF_8).contains("SIGHUP while starting")
                    && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("SIGHUP while starting: ignored"),
                    captured.toString(StandardCharsets.UTF_8));
        } finally {
            Signal.handle(new Signal("HUP"), SignalHandler.SIG_DFL);
            System.setErr(err);
        }
    }
}
