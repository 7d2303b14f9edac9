package io.mcpwarden.dissect.http;

import static io.mcpwarden.dissect.http.Recorder.ascii;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class HttpDetectTest {
    private static boolean req(String s) {
        byte[] b = ascii(s);
        return HttpDetect.looksLikeRequest(b, 0, b.length);
    }

    private static boolean resp(String s) {
        byte[] b = ascii(s);
        return HttpDetect.looksLikeResponse(b, 0, b.length);
    }

    @Test
    void requests() {
        for (String s : new String[] {"GET / HTTP/1.1\r\n", "POST /mcp HTTP/1.1", "DELETE /mcp", "OPTIONS * HTTP/1.1",
                "GET http://example.test/ HTTP/1.1", "GET HTTPS://x", "CONNECT api.example.test:443 HTTP/1.1",
                "CONNECT [2001:db8::1]:443 HTTP/1.1", "M-SEARCH * HTTP/1.1", "PROPFIND /dav"}) {
            assertTrue(req(s), s);
            assertFalse(resp(s), s);
        }
    }

    @Test
    void responses() {
        for (String s : new String[] {"HTTP/1.1 200 OK\r\n", "HTTP/1.0 404", "HTTP/1.1 101 Switching Protocols"}) {
            assertTrue(resp(s), s);
            assertFalse(req(s), s);
        }
    }

    @Test
    void rejectsOtherProtocolsAndShortOrOddInput() {
        for (String s : new String[] {"", "GET", "GET ", "GE", "HTTP/1.1 20", "get / HTTP/1.1", "GET x HTTP/1.1",
                "GET  /", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
                "HTTP/2 200", "HTTP/1.1 099 x", "GO /", "VERYVERYVERYLONGMETHODNAME /", "CONNECT /x", "GET ftp://x"}) {
            assertFalse(req(s), s);
            assertFalse(resp(s), s);
        }
        byte[] tls = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, 0x20, 0x20, 0x20};
        assertFalse(HttpDetect.looksLikeRequest(tls, 0, tls.length));
        assertFalse(HttpDetect.looksLikeResponse(tls, 0, tls.length));
        byte[] h2 = {0, 0, 0x12, 0x04, 0, 0, 0, 0, 0};
        assertFalse(HttpDetect.looksLikeRequest(h2, 0, h2.length));
        Random rnd = new Random(5);
        byte[] bin = new byte[64];
        for (int i = 0; i < 10_000; i++) {
            rnd.nextBytes(bin);
            assertFalse(HttpDetect.looksLikeRequest(bin, 0, bin.length));
            assertFalse(HttpDetect.looksLikeResponse(bin, 0, bin.length));
        }
    }

    @Test
    void honoursOffsetLengthAndBounds() {
        byte[] b = ascii("xxGET / HTTP/1.1");
        assertTrue(HttpDetect.looksLikeRequest(b, 2, b.length - 2));
        assertFalse(HttpDetect.looksLikeRequest(b, 0, b.length));
        assertFalse(HttpDetect.looksLikeRequest(b, 2, 4)); // "GET " is not enough to decide
        assertFalse(HttpDetect.looksLikeRequest(b, 2, 100));
        assertFalse(HttpDetect.looksLikeRequest(b, -1, 3));
        assertFalse(HttpDetect.looksLikeRequest(null, 0, 0));
        assertFalse(HttpDetect.looksLikeResponse(b, 20, 1));
    }
}
