package io.mcpwarden.tls.decrypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class KeyLogParserTest {
    static final String R1 = "01".repeat(32);
    static final String R2 = "02".repeat(32);

    @Test
    void readsTheUsedLabelsAndSkipsTheOthers() {
        KeyLog k = new KeyLog();
        KeyLogReport r = KeyLogParser.parse(String.join("\n",
                "# SSL/TLS secrets log file",
                "CLIENT_RANDOM " + R1 + " " + "aa".repeat(48),
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET " + R2 + " " + "b1".repeat(32),
                "SERVER_HANDSHAKE_TRAFFIC_SECRET " + R2 + " " + "b2".repeat(32),
                "CLIENT_TRAFFIC_SECRET_0 " + R2 + " " + "b3".repeat(32),
                "SERVER_TRAFFIC_SECRET_0 " + R2 + " " + "b4".repeat(32),
                "EXPORTER_SECRET " + R2 + " " + "b5".repeat(32),
                "",
                "   "), k);
        assertEquals(5, r.secrets());
        assertEquals(1, r.ignored());
        assertEquals(0, r.malformed());
        assertEquals(2, k.size());
        assertArrayEquals(HexFormat.of().parseHex("aa".repeat(48)), k.lookup(HexFormat.of().parseHex(R1)).masterSecret());
        TlsSecrets s = k.lookup(HexFormat.of().parseHex(R2));
        assertNotNull(s);
        assertEquals(true, s.hasTls13());
        assertNull(s.masterSecret());
    }

    @Test
    void malformedLinesAreCountedWithTheirNumbers() {
        KeyLog k = new KeyLog();
        KeyLogReport r = KeyLogParser.parse(String.join("\n",
                "CLIENT_RANDOM " + R1,                                   // 1: two fields
                "CLIENT_RANDOM " + R1 + " zz",                           // 2: not hex
                "CLIENT_RANDOM " + R1.substring(2) + " " + "aa".repeat(48), // 3: short random
                "NOT_A_LABEL " + R1 + " " + "aa".repeat(48),             // 4: unknown label
                "CLIENT_RANDOM " + R1 + " " + "aa".repeat(48),           // 5: fine
                "CLIENT_RANDOM " + R1 + " " + "a".repeat(97),            // 6: odd length
                "x".repeat(5000)), k);                                   // 7: too long
        assertEquals(1, r.secrets());
        assertEquals(6, r.malformed());
        assertEquals(List.of(1, 2, 3, 4, 6, 7), r.malformedLines());
        assertEquals("1 secret, 6 malformed lines (1, 2, 3, 4, 6, 7)", r.describe());
    }

    @Test
    void laterSecretsOfAConnectionAreMerged() {
        KeyLog a = new KeyLog();
        KeyLogParser.parse("CLIENT_HANDSHAKE_TRAFFIC_SECRET " + R2 + " " + "b1".repeat(32), a);
        KeyLog b = new KeyLog();
        KeyLogParser.parse("SERVER_TRAFFIC_SECRET_0 " + R2 + " " + "b4".repeat(32), b);
        a.addAll(b);
        TlsSecrets s = a.lookup(HexFormat.of().parseHex(R2));
        assertNotNull(s.clientHandshakeSecret());
        assertNotNull(s.serverTrafficSecret0());
    }
}
