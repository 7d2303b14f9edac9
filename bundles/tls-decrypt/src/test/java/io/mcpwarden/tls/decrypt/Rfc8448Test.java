package io.mcpwarden.tls.decrypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The TLS 1.3 key schedule and record protection against RFC 8448 §3 "Simple 1-RTT Handshake". */
class Rfc8448Test {
    static final byte[] CLIENT_HELLO = hex("""
            01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83
            02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01
            00 01 00 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23 00 00 00 33 00
            26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69
            1e 52 9a af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06 04 01
            05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01""");
    static final byte[] SERVER_HELLO = hex("""
            02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e
            d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1
            56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04""");
    static final byte[] C_HS = hex("b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21");
    static final byte[] S_HS = hex("b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38");
    static final byte[] C_AP = hex("9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5");
    static final byte[] S_AP = hex("a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43");
    static final byte[] CLIENT_APP_RECORD = hex("""
            17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55
            cb ef ac ea 42 f9 14 aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39
            5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd
            1e 3d ea e6 3a ee bb 21 69 49 15 e4""");
    static final byte[] SERVER_APP_RECORD = hex("""
            17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad 36 00 5f c4
            a4 69 32 fc 32 25 d0 5f 82 aa 1b 36 e3 0e fa f9 7d 90 e6 df
            fc 60 2d cb 50 1a 59 a8 fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2
            ab f3 32 54 0d d0 32 e1 67 c2 95 5d""");
    static final byte[] CLIENT_FINISHED_RECORD = hex("""
            17 03 03 00 35 75 ec 4d c2 38 cc e6 0b 29 80 44 a7 1e 21 9c
            56 cc 77 b0 51 7f e9 b9 3c 7a 4b fc 44 d8 7f 38 f8 03 38 ac
            98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7 26 c4 05 46""");
    static final byte[] SERVER_HS_RECORD = hex("""
            17 03 03 02 a2 d1 ff 33 4a 56 f5 bf f6 59 4a 07 cc 87 b5 80 23 3f 50 0f 45 e4 89 e7 f3 3a f3 5e
            df 78 69 fc f4 0a a4 0a a2 b8 ea 73 f8 48 a7 ca 07 61 2e f9 f9 45 cb 96 0b 40 68 90 51 23 ea 78
            b1 11 b4 29 ba 91 91 cd 05 d2 a3 89 28 0f 52 61 34 aa dc 7f c7 8c 4b 72 9d f8 28 b5 ec f7 b1 3b
            d9 ae fb 0e 57 f2 71 58 5b 8e a9 bb 35 5c 7c 79 02 07 16 cf b9 b1 18 3e f3 ab 20 e3 7d 57 a6 b9
            d7 47 76 09 ae e6 e1 22 a4 cf 51 42 73 25 25 0c 7d 0e 50 92 89 44 4c 9b 3a 64 8f 1d 71 03 5d 2e
            d6 5b 0e 3c dd 0c ba e8 bf 2d 0b 22 78 12 cb b3 60 98 72 55 cc 74 41 10 c4 53 ba a4 fc d6 10 92
            8d 80 98 10 e4 b7 ed 1a 8f d9 91 f0 6a a6 24 82 04 79 7e 36 a6 a7 3b 70 a2 55 9c 09 ea d6 86 94
            5b a2 46 ab 66 e5 ed d8 04 4b 4c 6d e3 fc f2 a8 94 41 ac 66 27 2f d8 fb 33 0e f8 19 05 79 b3 68
            45 96 c9 60 bd 59 6e ea 52 0a 56 a8 d6 50 f5 63 aa d2 74 09 96 0d ca 63 d3 e6 88 61 1e a5 e2 2f
            44 15 cf 95 38 d5 1a 20 0c 27 03 42 72 96 8a 26 4e d6 54 0c 84 83 8d 89 f7 2c 24 46 1a ad 6d 26
            f5 9e ca ba 9a cb bb 31 7b 66 d9 02 f4 f2 92 a3 6a c1 b6 39 c6 37 ce 34 31 17 b6 59 62 22 45 31
            7b 49 ee da 0c 62 58 f1 00 d7 d9 61 ff b1 38 64 7e 92 ea 33 0f ae ea 6d fa 31 c7 a8 4d c3 bd 7e
            1b 7a 6c 71 78 af 36 87 90 18 e3 f2 52 10 7f 24 3d 24 3d c7 33 9d 56 84 c8 b0 37 8b f3 02 44 da
            8c 87 c8 43 f5 e5 6e b4 c5 e8 28 0a 2b 48 05 2c f9 3b 16 49 9a 66 db 7c ca 71 e4 59 94 26 f7 d4
            61 e6 6f 99 88 2b d8 9f c5 08 00 be cc a6 2d 6c 74 11 6d bd 29 72 fd a1 fa 80 f8 5d f8 81 ed be
            5a 37 66 89 36 b3 35 58 3b 59 91 86 dc 5c 69 18 a3 96 fa 48 a1 81 d6 b6 fa 4f 9d 62 d5 13 af bb
            99 2f 2b 99 2f 67 f8 af e6 7f 76 91 3f a3 88 cb 56 30 c8 ca 01 e0 c6 5d 11 c6 6a 1e 2a c4 c8 59
            77 b7 c7 a6 99 9b bf 10 dc 35 ae 69 f5 51 56 14 63 6c 0b 9b 68 c1 9e d2 e3 1c 0b 3b 66 76 30 38
            eb ba 42 f3 b3 8e dc 03 99 f3 a9 f2 3f aa 63 97 8c 31 7f c9 fa 66 a7 3f 60 f0 50 4d e9 3b 5b 84
            5e 27 55 92 c1 23 35 ee 34 0b bc 4f dd d5 02 78 40 16 e4 b3 be 7e f0 4d da 49 f4 b4 40 a3 0c b5
            d2 af 93 98 28 fd 4a e3 79 4e 44 f9 4d f5 a6 31 ed e4 2c 17 19 bf da bf 02 53 fe 51 75 be 89 8e
            75 0e dc 53 37 0d 2b""");

    @Test
    void hkdfExpandLabelGivesTheTrafficKeys() throws Exception {
        String h = "HmacSHA256";
        assertArrayEquals(hex("3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc"), Hkdf.expandLabel(h, S_HS, "key", new byte[0], 16));
        assertArrayEquals(hex("5d 31 3e b2 67 12 76 ee 13 00 0b 30"), Hkdf.expandLabel(h, S_HS, "iv", new byte[0], 12));
        assertArrayEquals(hex("db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01"), Hkdf.expandLabel(h, C_HS, "key", new byte[0], 16));
        assertArrayEquals(hex("5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f"), Hkdf.expandLabel(h, C_HS, "iv", new byte[0], 12));
        assertArrayEquals(hex("17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51"), Hkdf.expandLabel(h, C_AP, "key", new byte[0], 16));
        assertArrayEquals(hex("5b 78 92 3d ee 08 57 90 33 e5 23 d9"), Hkdf.expandLabel(h, C_AP, "iv", new byte[0], 12));
        assertArrayEquals(hex("9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56"), Hkdf.expandLabel(h, S_AP, "key", new byte[0], 16));
        assertArrayEquals(hex("cf 78 2b 88 dd 83 54 9a ad f1 e9 84"), Hkdf.expandLabel(h, S_AP, "iv", new byte[0], 12));
    }

    @Test
    void serverApplicationRecordOpensAtSequenceOneOnly() throws Exception {
        CipherSuite s = CipherSuite.TLS_AES_128_GCM_SHA256;
        byte[] out = new byte[SERVER_APP_RECORD.length];
        byte[] body = java.util.Arrays.copyOfRange(SERVER_APP_RECORD, 5, SERVER_APP_RECORD.length);
        assertEquals(-1, RecordCipher.tls13(s, S_AP).open(23, 0x0303, body.clone(), 0, body.length, out));
        int n = RecordCipher.tls13(s, S_AP).at(1).open(23, 0x0303, body.clone(), 0, body.length, out);
        assertEquals(51, n);
        assertEquals(23, out[50]);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, out[i]);
        }
    }

    @Test
    void wholeConnectionDecrypts() {
        KeyLog keys = new KeyLog();
        byte[] random = java.util.Arrays.copyOfRange(CLIENT_HELLO, 6, 38);
        keys.add("CLIENT_HANDSHAKE_TRAFFIC_SECRET", random, C_HS);
        keys.add("SERVER_HANDSHAKE_TRAFFIC_SECRET", random, S_HS);
        keys.add("CLIENT_TRAFFIC_SECRET_0", random, C_AP);
        keys.add("SERVER_TRAFFIC_SECRET_0", random, S_AP);
        Recorder r = new Recorder();
        TlsDecryptor d = new TlsDecryptor(keys, r);
        feedByteByByte(d, true, record(22, 0x0301, CLIENT_HELLO));
        assertEquals(TlsDecryptor.Status.HANDSHAKE, d.status());
        d.feed(false, record(22, 0x0303, SERVER_HELLO), 0, SERVER_HELLO.length + 5);
        assertEquals(TlsDecryptor.Status.DECRYPTING, d.status());
        d.feed(false, SERVER_HS_RECORD, 0, SERVER_HS_RECORD.length);
        assertTrue(r.handshake);
        assertNull(r.alpn, "RFC 8448's EncryptedExtensions has no ALPN");
        d.feed(true, CLIENT_FINISHED_RECORD, 0, CLIENT_FINISHED_RECORD.length);
        feedByteByByte(d, true, CLIENT_APP_RECORD);
        assertEquals(List.of(), r.failures);
        byte[] got = r.client.toByteArray();
        assertEquals(50, got.length);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, got[i]);
        }
        assertEquals(3, d.recordsDecrypted());
    }

    @Test
    void wrongSecretsFailCleanly() {
        KeyLog keys = new KeyLog();
        byte[] random = java.util.Arrays.copyOfRange(CLIENT_HELLO, 6, 38);
        keys.add("CLIENT_HANDSHAKE_TRAFFIC_SECRET", random, S_HS);
        keys.add("SERVER_HANDSHAKE_TRAFFIC_SECRET", random, C_HS);
        keys.add("CLIENT_TRAFFIC_SECRET_0", random, C_AP);
        keys.add("SERVER_TRAFFIC_SECRET_0", random, S_AP);
        Recorder r = new Recorder();
        TlsDecryptor d = new TlsDecryptor(keys, r);
        feedHellos(d);
        feedRest(d);
        assertEquals(List.of("server " + DecryptAnomaly.AUTH_FAILED, "client " + DecryptAnomaly.AUTH_FAILED), r.failures);
        assertEquals(0, r.client.size());
        assertTrue(!d.active());
    }

    @Test
    void noKeysIsReportedOnce() {
        Recorder r = new Recorder();
        TlsDecryptor d = new TlsDecryptor(new KeyLog(), r);
        d.feed(true, record(22, 0x0301, CLIENT_HELLO), 0, CLIENT_HELLO.length + 5);
        d.feed(false, record(22, 0x0303, SERVER_HELLO), 0, SERVER_HELLO.length + 5);
        d.feed(false, SERVER_HS_RECORD, 0, SERVER_HS_RECORD.length);
        assertEquals(TlsDecryptor.Status.NO_KEYS, d.status());
        assertEquals(List.of("client " + DecryptAnomaly.NO_KEYS), r.failures);
    }

    @Test
    void truncatedRecordIsReportedAtTheEnd() {
        KeyLog keys = new KeyLog();
        byte[] random = java.util.Arrays.copyOfRange(CLIENT_HELLO, 6, 38);
        keys.add("SERVER_HANDSHAKE_TRAFFIC_SECRET", random, S_HS);
        keys.add("CLIENT_HANDSHAKE_TRAFFIC_SECRET", random, C_HS);
        Recorder r = new Recorder();
        TlsDecryptor d = new TlsDecryptor(keys, r);
        d.feed(true, record(22, 0x0301, CLIENT_HELLO), 0, CLIENT_HELLO.length + 5);
        d.feed(false, record(22, 0x0303, SERVER_HELLO), 0, SERVER_HELLO.length + 5);
        d.feed(false, SERVER_HS_RECORD, 0, 300);
        d.end();
        assertEquals(List.of("server " + DecryptAnomaly.TRUNCATED_RECORD), r.failures);
    }

    /** The ClientHello and the ServerHello, whole. */
    static void feedHellos(TlsDecryptor d) {
        d.feed(true, record(22, 0x0301, CLIENT_HELLO), 0, CLIENT_HELLO.length + 5);
        d.feed(false, record(22, 0x0303, SERVER_HELLO), 0, SERVER_HELLO.length + 5);
    }

    /** Everything after the hellos: the server's encrypted handshake, the client's Finished and data. */
    static void feedRest(TlsDecryptor d) {
        d.feed(false, SERVER_HS_RECORD, 0, SERVER_HS_RECORD.length);
        d.feed(true, CLIENT_FINISHED_RECORD, 0, CLIENT_FINISHED_RECORD.length);
        d.feed(true, CLIENT_APP_RECORD, 0, CLIENT_APP_RECORD.length);
    }

    static void feedByteByByte(TlsDecryptor d, boolean fromClient, byte[] b) {
        for (int i = 0; i < b.length; i++) {
            d.feed(fromClient, b, i, 1);
        }
    }

    static byte[] record(int type, int version, byte[] body) {
        byte[] r = new byte[body.length + 5];
        r[0] = (byte) type;
        r[1] = (byte) (version >> 8);
        r[2] = (byte) version;
        r[3] = (byte) (body.length >> 8);
        r[4] = (byte) body.length;
        System.arraycopy(body, 0, r, 5, body.length);
        return r;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    static final class Recorder implements PlaintextListener {
        boolean handshake;
        String alpn;
        final ByteArrayOutputStream client = new ByteArrayOutputStream();
        final ByteArrayOutputStream server = new ByteArrayOutputStream();
        final List<String> failures = new ArrayList<>();

        @Override
        public void onHandshake(String alpnSelected) {
            handshake = true;
            alpn = alpnSelected;
        }

        @Override
        public void onApplicationData(boolean fromClient, byte[] buf, int off, int len) {
            (fromClient ? client : server).write(buf, off, len);
        }

        @Override
        public void onFailure(boolean fromClient, String anomaly) {
            failures.add((fromClient ? "client " : "server ") + anomaly);
        }
    }
}
