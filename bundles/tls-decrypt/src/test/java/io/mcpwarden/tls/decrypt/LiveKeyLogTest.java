package io.mcpwarden.tls.decrypt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;

import static io.mcpwarden.tls.decrypt.Rfc8448Test.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A key log file that the client writes while the connection goes on (live capture): the RFC 8448 connection's
 * secrets reach the file only after the ServerHello was seen, yet every record is decrypted; a client that never
 * logs its secrets gives no keys once it is past its Finished, holding little.
 */
class LiveKeyLogTest {
    private static final byte[] RANDOM = java.util.Arrays.copyOfRange(CLIENT_HELLO, 6, 38);

    private static String line(String label, byte[] secret) {
        HexFormat h = HexFormat.of();
        return label + " " + h.formatHex(RANDOM) + " " + h.formatHex(secret) + "\n";
    }

    /** A key log followed from {@code file}, and a decryptor that has seen both hellos. */
    private record Live(KeyLogFollower follower, Recorder recorder, TlsDecryptor decryptor) implements AutoCloseable {
        static Live start(Path file) {
            KeyLog keys = new KeyLog();
            KeyLogFollower f = new KeyLogFollower(file, keys);
            keys.follow(f);
            Recorder r = new Recorder();
            TlsDecryptor d = new TlsDecryptor(keys, r);
            feedHellos(d);
            return new Live(f, r, d);
        }

        @Override
        public void close() {
            follower.close();
        }
    }

    private static void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void secretsWrittenAfterTheServerHelloStillDecryptEverything(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sslkeys.log");
        append(file, "# key log of a client that is running\n");
        try (Live live = Live.start(file)) {
            TlsDecryptor d = live.decryptor();
            Recorder r = live.recorder();
            assertEquals(TlsDecryptor.Status.HANDSHAKE, d.status(), "waiting for the secrets, not failed");
            d.feed(false, SERVER_HS_RECORD, 0, SERVER_HS_RECORD.length); // held
            // the client derives its handshake secrets from the ServerHello and logs them (half a line first)
            String hs = line("CLIENT_HANDSHAKE_TRAFFIC_SECRET", C_HS) + line("SERVER_HANDSHAKE_TRAFFIC_SECRET", S_HS);
            append(file, hs.substring(0, 50));
            append(file, hs.substring(50));
            // then its application secrets, before it sends its Finished
            append(file, line("CLIENT_TRAFFIC_SECRET_0", C_AP) + line("SERVER_TRAFFIC_SECRET_0", S_AP));
            d.feed(true, CLIENT_FINISHED_RECORD, 0, CLIENT_FINISHED_RECORD.length);
            feedByteByByte(d, true, CLIENT_APP_RECORD);
            assertEquals(TlsDecryptor.Status.DECRYPTING, d.status());
            assertEquals(List.of(), r.failures);
            assertTrue(r.handshake);
            byte[] got = r.client.toByteArray();
            assertEquals(50, got.length);
            for (int i = 0; i < 50; i++) {
                assertEquals(i, got[i]);
            }
            assertEquals(3, d.recordsDecrypted());
            assertEquals(4, live.follower().secrets());
        }
    }

    @Test
    void handshakeSecretsFirstAndApplicationSecretsLater(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sslkeys.log");
        append(file, line("CLIENT_HANDSHAKE_TRAFFIC_SECRET", C_HS) + line("SERVER_HANDSHAKE_TRAFFIC_SECRET", S_HS));
        try (Live live = Live.start(file)) {
            TlsDecryptor d = live.decryptor();
            Recorder r = live.recorder();
            assertEquals(TlsDecryptor.Status.DECRYPTING, d.status());
            d.feed(false, SERVER_HS_RECORD, 0, SERVER_HS_RECORD.length);
            append(file, line("CLIENT_TRAFFIC_SECRET_0", C_AP) + line("SERVER_TRAFFIC_SECRET_0", S_AP));
            d.feed(true, CLIENT_FINISHED_RECORD, 0, CLIENT_FINISHED_RECORD.length);
            d.feed(true, CLIENT_APP_RECORD, 0, CLIENT_APP_RECORD.length);
            assertEquals(List.of(), r.failures);
            assertEquals(50, r.client.size());
        }
    }

    @Test
    void aClientThatNeverLogsGivesNoKeysOncePastItsFinished(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sslkeys.log");
        append(file, "");
        try (Live live = Live.start(file)) {
            TlsDecryptor d = live.decryptor();
            Recorder r = live.recorder();
            feedRest(d);
            assertEquals(TlsDecryptor.Status.HANDSHAKE, d.status(), "two client records: still waiting");
            d.feed(true, CLIENT_APP_RECORD, 0, CLIENT_APP_RECORD.length);
            assertEquals(TlsDecryptor.Status.NO_KEYS, d.status());
            assertEquals(1, r.failures.size(), r.failures.toString());
            assertTrue(r.failures.get(0).endsWith(DecryptAnomaly.NO_KEYS), r.failures.toString());
        }
    }

    @Test
    void theEndOfTheConnectionEndsTheWait(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sslkeys.log");
        try (Live live = Live.start(file)) { // the file does not exist yet
            TlsDecryptor d = live.decryptor();
            assertEquals(TlsDecryptor.Status.HANDSHAKE, d.status());
            assertEquals("not found", live.follower().lastError());
            d.end();
            assertEquals(TlsDecryptor.Status.NO_KEYS, d.status());
        }
    }

    @Test
    void aFileLogNotFollowedFailsAtTheServerHelloAsBefore() {
        Recorder r = new Recorder();
        TlsDecryptor d = new TlsDecryptor(new KeyLog(), r);
        feedHellos(d);
        assertEquals(TlsDecryptor.Status.NO_KEYS, d.status());
    }

    @Test
    void followerReadsAppendsPartialLinesTruncationAndReplacement(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("k.log");
        KeyLog keys = new KeyLog();
        try (KeyLogFollower f = new KeyLogFollower(file, keys)) {
            f.run();
            assertEquals(0, keys.size());
            String l = line("CLIENT_RANDOM", S_HS);
            append(file, l.substring(0, 20));
            f.run();
            assertEquals(0, keys.size(), "half a line is not read");
            append(file, l.substring(20));
            f.run();
            assertEquals(1, keys.size());
            append(file, "garbage line\n");
            f.run();
            assertEquals(1, f.malformed());
            Files.writeString(file, ""); // truncated
            f.run();
            byte[] other = RANDOM.clone();
            other[0] ^= 1;
            String l2 = "CLIENT_RANDOM " + HexFormat.of().formatHex(other) + " " + HexFormat.of().formatHex(S_AP) + "\n";
            append(file, l2);
            f.run();
            assertEquals(2, keys.size(), "read again from the start after truncation");
            Path moved = dir.resolve("k.log.1"); // rotated: a new file under the old name
            Files.move(file, moved);
            other[1] ^= 1;
            append(file, "CLIENT_RANDOM " + HexFormat.of().formatHex(other) + " " + HexFormat.of().formatHex(C_AP) + "\n");
            try {
                Thread.sleep(1100); // the file's identity is checked at most once a second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            f.run();
            assertEquals(3, keys.size(), "the new file is followed");
            assertNull(f.lastError());
        }
    }
}
