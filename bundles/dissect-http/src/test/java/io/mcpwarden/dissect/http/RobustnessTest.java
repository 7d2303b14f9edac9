package io.mcpwarden.dissect.http;

import static io.mcpwarden.dissect.http.Recorder.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Truncation and bit-flip runs: the parser never throws, never hangs, and ends every head it reports. */
class RobustnessTest {
    static final String REQUESTS = "POST /mcp HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
            + "GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n";
    static final String RESPONSES = "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "f\r\nevent: a\ndata: \r\n5\r\n1\n\n:c\r\n0\r\n\r\n"
            + "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: x\r\n\r\n";

    private static void run(Side side, byte[] in, long seed) {
        Recorder r = new Recorder();
        HttpStreamParser p = new HttpStreamParser(side, r, 8);
        p.expectResponseTo("POST");
        p.expectResponseTo("POST");
        p.expectResponseTo("GET");
        Random rnd = new Random(seed);
        int i = 0;
        while (i < in.length) {
            int n = Math.min(in.length - i, 1 + rnd.nextInt(9));
            p.feed(in, i, n);
            i += n;
            if (rnd.nextInt(50) == 0) {
                p.gap();
            }
        }
        p.end();
        assertEquals(r.requests.size() + r.responses.size(), r.ends.size(), "every head gets one end");
    }

    @Test
    void truncationsAndBitFlipsNeverThrow() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Side side : Side.values()) {
                byte[] good = ascii(side == Side.REQUEST ? REQUESTS : RESPONSES);
                for (int cut = 0; cut <= good.length; cut++) {
                    run(side, Arrays.copyOf(good, cut), cut);
                }
                Random rnd = new Random(17);
                for (int k = 0; k < 3000; k++) {
                    byte[] b = good.clone();
                    int flips = 1 + rnd.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    run(side, b, k);
                }
                for (int k = 0; k < 300; k++) {
                    byte[] b = new byte[1 + rnd.nextInt(2000)];
                    rnd.nextBytes(b);
                    run(side, b, k);
                }
            }
        });
    }

    @Test
    void unmodifiedInputParsesWithoutAnomalies() {
        Recorder q = Recorder.oneShot(Side.REQUEST, 8, ascii(REQUESTS), true);
        assertEquals(3, q.requests.size());
        assertTrue(q.anomalies.isEmpty(), q.anomalies.toString());
        Recorder s = Recorder.oneShot(Side.RESPONSE, 8, ascii(RESPONSES), true, "POST", "POST", "GET");
        assertEquals(4, s.responses.size());
        assertEquals(2, s.events.size());
        assertTrue(s.anomalies.isEmpty(), s.anomalies.toString());
    }
}
