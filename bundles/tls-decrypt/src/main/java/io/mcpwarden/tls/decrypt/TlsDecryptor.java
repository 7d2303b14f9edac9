package io.mcpwarden.tls.decrypt;

import java.security.GeneralSecurityException;
import java.util.ArrayDeque;

/**
 * Decrypts one TLS connection with secrets from a {@link KeyLog}: both directions are fed in TCP stream order
 * from their first byte; decrypted application data goes to the {@link PlaintextListener}.
 *
 * <p>TLS 1.3 (RFC 8446): records of type application_data are opened with the handshake traffic keys until the
 * direction's Finished, then with the application traffic keys; KeyUpdate (§4.6.3) moves to the next secret
 * ("traffic upd", §7.2). The inner content type follows the zero padding (§5.4). EncryptedExtensions gives the
 * server's ALPN choice. TLS 1.2 (RFC 5246): after a direction's ChangeCipherSpec its records are opened with
 * the key block from the master secret (PRF "key expansion", §6.3), AEAD suites only.
 *
 * <p>Bounded: one record (at most {@link #MAX_RECORD} bytes) is buffered per direction, records waiting for
 * keys are capped at {@link #MAX_WAITING} bytes, handshake messages at {@link HandshakeReader#MAX_MESSAGE}.
 * With a live key log ({@link KeyLog#follow}) secrets missing at the ServerHello (or an application secret
 * missing at a Finished) are waited for while the client sends at most {@link #LIVE_WAIT_CLIENT_RECORDS}
 * protected records and at most {@link #LIVE_WAIT_BYTES} are held per direction, or until {@link #end}.
 * A record that does not authenticate stops that direction ({@link DecryptAnomaly#AUTH_FAILED}). Never throws on
 * any input. Not thread-safe: one instance per connection.
 */
public final class TlsDecryptor {
    /** RFC 5246 §6.2.3: TLSCiphertext.length at most 2^14 + 2048 (TLS 1.3 allows 2^14 + 256). */
    public static final int MAX_RECORD = (1 << 14) + 2048;
    /** Bytes of protected records held per direction while the keys are not known yet. */
    public static final int MAX_WAITING = 256 * 1024;
    /**
     * With a live key log, how many protected client records may pass after the ServerHello before missing keys
     * count as none: a client writes its secrets before it sends its Finished, so by the second protected record
     * they are in the log if the client logs at all.
     */
    static final int LIVE_WAIT_CLIENT_RECORDS = 2;
    /** With a live key log, bytes held per direction while waiting for the secrets to be written. */
    static final int LIVE_WAIT_BYTES = 32 * 1024;

    static final int CT_CHANGE_CIPHER_SPEC = 20;
    static final int CT_ALERT = 21;
    static final int CT_HANDSHAKE = 22;
    static final int CT_APPLICATION_DATA = 23;
    static final int HT_CLIENT_HELLO = 1;
    static final int HT_SERVER_HELLO = 2;
    static final int HT_ENCRYPTED_EXTENSIONS = 8;
    static final int HT_FINISHED = 20;
    static final int HT_KEY_UPDATE = 24;

    /** How far decryption of the connection got. */
    public enum Status {
        /** Hellos not complete yet. */
        HANDSHAKE,
        /** Keys found: records are being decrypted. */
        DECRYPTING,
        /** No secrets for this connection. */
        NO_KEYS,
        /** Not decryptable: unsupported suite or version, damage, failed authentication in both directions. */
        FAILED
    }

    private final KeyLog keys;
    private final PlaintextListener listener;
    private final Direction client = new Direction(true);
    private final Direction server = new Direction(false);
    private Status status = Status.HANDSHAKE;
    private byte[] clientRandom;
    private Hello.Server serverHello;
    private CipherSuite suite;
    private TlsSecrets secrets;
    private boolean handshakeReported;
    private long recordsDecrypted;
    /** A live key log did not hold the secrets at the ServerHello yet: records are held while they may come. */
    private boolean awaitingKeys;
    private int clientRecordsWhileAwaiting;

    public TlsDecryptor(KeyLog keys, PlaintextListener listener) {
        this.keys = keys;
        this.listener = listener;
    }

    /** @return the connection's status */
    public Status status() {
        return status;
    }

    /** @return records decrypted so far (both directions) */
    public long recordsDecrypted() {
        return recordsDecrypted;
    }

    /** @return true while at least one direction is still decrypted (or may be) */
    public boolean active() {
        return (status == Status.HANDSHAKE || status == Status.DECRYPTING) && !(client.failed && server.failed);
    }

    /** The next bytes of one direction, in stream order. */
    public void feed(boolean fromClient, byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len || !active()) {
            return;
        }
        Direction d = fromClient ? client : server;
        if (d.failed) {
            return;
        }
        try {
            d.feed(buf, off, len);
        } catch (RuntimeException | GeneralSecurityException e) {
            d.fail(DecryptAnomaly.BAD_RECORD);
        }
    }

    /** Looks for the secrets again (a live key log); gives up once the client is past its Finished. */
    private void retryKeys(boolean giveUp) {
        try {
            keysFor(giveUp);
        } catch (GeneralSecurityException | RuntimeException e) {
            awaitingKeys = false;
            connectionFailed(DecryptAnomaly.BAD_RECORD);
        }
    }

    /** Bytes of one direction were lost: that direction cannot be followed any more. */
    public void gap(boolean fromClient) {
        Direction d = fromClient ? client : server;
        if (active() && !d.failed) {
            d.fail(DecryptAnomaly.GAP);
        }
    }

    /** The connection ended: a partial record left in a direction is reported as truncated. */
    public void end() {
        if (awaitingKeys) {
            retryKeys(true);
        }
        for (Direction d : new Direction[] {client, server}) {
            if (d.awaitingTraffic && !d.failed && status == Status.DECRYPTING) {
                try {
                    d.resumeTraffic(true);
                } catch (GeneralSecurityException | RuntimeException e) {
                    d.fail(DecryptAnomaly.BAD_RECORD);
                }
            }
        }
        for (Direction d : new Direction[] {client, server}) {
            if (active() && !d.failed && d.have > 0 && status == Status.DECRYPTING) {
                d.fail(DecryptAnomaly.TRUNCATED_RECORD);
            }
        }
    }

    private void connectionFailed(String anomaly) {
        status = anomaly.equals(DecryptAnomaly.NO_KEYS) ? Status.NO_KEYS : Status.FAILED;
        client.waiting.clear();
        server.waiting.clear();
        listener.onFailure(true, anomaly);
    }

    /** Whether the secrets held are enough for the connection's version. */
    private boolean complete(TlsSecrets s) {
        return serverHello.version() == 0x0304
                ? s.serverHandshakeSecret() != null || s.serverTrafficSecret0() != null
                : s.masterSecret() != null;
    }

    /**
     * Both hellos are known: find the secrets and set up the ciphers. With a live key log whose secrets are not
     * there yet, returns false and the records are held (unless {@code last}: then no keys is reported).
     */
    private boolean keysFor(boolean last) throws GeneralSecurityException {
        Hello.Server sh = serverHello;
        secrets = keys == null ? null : keys.lookupFresh(clientRandom, this::complete);
        suite = CipherSuite.of(sh.cipherSuite());
        if (sh.version() != 0x0304 && sh.version() != 0x0303) {
            awaitingKeys = false;
            connectionFailed(DecryptAnomaly.UNSUPPORTED_VERSION);
            return true;
        }
        boolean tls13 = sh.version() == 0x0304;
        if (secrets == null || !complete(secrets)) {
            if (keys != null && keys.live() && !last) {
                awaitingKeys = true;
                return false;
            }
            awaitingKeys = false;
            connectionFailed(DecryptAnomaly.NO_KEYS);
            return true;
        }
        awaitingKeys = false;
        if (suite == null || suite.tls13 != tls13) {
            connectionFailed(DecryptAnomaly.UNSUPPORTED_CIPHER_SUITE);
            return true;
        }
        status = Status.DECRYPTING;
        if (tls13) {
            client.secret = secrets.clientHandshakeSecret();
            server.secret = secrets.serverHandshakeSecret();
            client.cipher = client.secret == null ? null : RecordCipher.tls13(suite, client.secret);
            server.cipher = server.secret == null ? null : RecordCipher.tls13(suite, server.secret);
        } else {
            int kl = suite.keyLength;
            int il = suite.tls12IvLength();
            byte[] seed = new byte[64];
            System.arraycopy(sh.random(), 0, seed, 0, 32);
            System.arraycopy(clientRandom, 0, seed, 32, 32);
            byte[] kb = Tls12Prf.prf(suite.hmac, secrets.masterSecret(), "key expansion", seed, 2 * kl + 2 * il);
            client.tls12 = RecordCipher.tls12(suite, java.util.Arrays.copyOfRange(kb, 0, kl),
                    java.util.Arrays.copyOfRange(kb, 2 * kl, 2 * kl + il));
            server.tls12 = RecordCipher.tls12(suite, java.util.Arrays.copyOfRange(kb, kl, 2 * kl),
                    java.util.Arrays.copyOfRange(kb, 2 * kl + il, 2 * kl + 2 * il));
            reportHandshake(sh.alpn());
        }
        client.drain();
        server.drain();
        return true;
    }

    private void reportHandshake(String alpn) {
        if (!handshakeReported) {
            handshakeReported = true;
            listener.onHandshake(alpn);
        }
    }

    /** One direction: record framing, the current cipher, handshake messages. */
    private final class Direction implements HandshakeReader.Sink {
        final boolean fromClient;
        final byte[] header = new byte[5];
        byte[] record = new byte[0];
        byte[] plain = new byte[0];
        int have;
        int need = 5;
        final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
        int waitingBytes;
        final HandshakeReader handshake = new HandshakeReader();
        /** TLS 1.2: set once ChangeCipherSpec was seen. */
        boolean encrypted;
        RecordCipher tls12;
        /** TLS 1.3: current traffic secret and its cipher. */
        byte[] secret;
        RecordCipher cipher;
        boolean applicationKeys;
        /** A live key log did not hold this direction's application secret at its Finished yet. */
        boolean awaitingTraffic;
        boolean switchAfterRecord;
        boolean updateAfterRecord;
        boolean failed;

        Direction(boolean fromClient) {
            this.fromClient = fromClient;
        }

        void feed(byte[] b, int off, int len) throws GeneralSecurityException {
            int p = off;
            int end = off + len;
            while (p < end && !failed && active()) {
                if (have < 5) {
                    int n = Math.min(5 - have, end - p);
                    System.arraycopy(b, p, header, have, n);
                    have += n;
                    p += n;
                    if (have == 5) {
                        int type = header[0] & 0xff;
                        int length = Hello.u16(header, 3);
                        if (type < CT_CHANGE_CIPHER_SPEC || type > 24 || header[1] != 3 || length > MAX_RECORD) {
                            fail(DecryptAnomaly.BAD_RECORD);
                            return;
                        }
                        need = 5 + length;
                        if (record.length < length) {
                            record = new byte[Math.max(length, Math.min(MAX_RECORD, record.length * 2 + 512))];
                        }
                        if (length == 0) {
                            have = 0;
                            record(type, Hello.u16(header, 1), record, 0);
                        }
                    }
                    continue;
                }
                int n = Math.min(need - have, end - p);
                System.arraycopy(b, p, record, have - 5, n);
                have += n;
                p += n;
                if (have == need) {
                    have = 0;
                    record(header[0] & 0xff, Hello.u16(header, 1), record, need - 5);
                }
            }
        }

        /** One complete record; {@code body} is reused afterwards. */
        void record(int type, int version, byte[] body, int len) throws GeneralSecurityException {
            boolean tls13 = serverHello != null && serverHello.version() == 0x0304;
            boolean protectedRecord = tls13 ? type == CT_APPLICATION_DATA : encrypted;
            if (!protectedRecord) {
                if (type == CT_HANDSHAKE) {
                    handshake.feed(body, 0, len, this);
                } else if (type == CT_CHANGE_CIPHER_SPEC && serverHello != null && !tls13) {
                    encrypted = true;
                    handshake.reset();
                } else if (type == CT_APPLICATION_DATA && serverHello == null) {
                    // protected data before the ServerHello was read: hold it until the keys are known
                    hold(type, version, body, len);
                }
                return;
            }
            if (status == Status.HANDSHAKE || (tls13 ? cipher == null && !applicationKeys : tls12 == null)) {
                hold(type, version, body, len);
                if (awaitingKeys && !failed) {
                    boolean giveUp = fromClient && ++clientRecordsWhileAwaiting > LIVE_WAIT_CLIENT_RECORDS
                            || waitingBytes > LIVE_WAIT_BYTES;
                    retryKeys(giveUp);
                } else if (awaitingTraffic && !failed && status == Status.DECRYPTING) {
                    resumeTraffic(waitingBytes > LIVE_WAIT_BYTES);
                }
                return;
            }
            if (status != Status.DECRYPTING) {
                return;
            }
            open(type, version, body, len, tls13);
        }

        /** This direction's application secret 0, as the log holds it now (a live log: read what was added). */
        private byte[] trafficSecret0() {
            if (keys.live()) {
                secrets = keys.lookupFresh(clientRandom,
                        x -> (fromClient ? x.clientTrafficSecret0() : x.serverTrafficSecret0()) != null);
            }
            return fromClient ? secrets.clientTrafficSecret0() : secrets.serverTrafficSecret0();
        }

        /** Waiting for the application secret: takes it when it is there, else gives up when {@code giveUp}. */
        void resumeTraffic(boolean giveUp) throws GeneralSecurityException {
            byte[] s = trafficSecret0();
            if (s == null && !giveUp) {
                return;
            }
            awaitingTraffic = false;
            next(s); // null: no keys
            applicationKeys = true;
            drain();
        }

        private void hold(int type, int version, byte[] body, int len) {
            if (waitingBytes + len + 5 > MAX_WAITING) {
                fail(DecryptAnomaly.PENDING_OVERFLOW);
                return;
            }
            byte[] r = new byte[len + 3];
            r[0] = (byte) type;
            r[1] = (byte) (version >> 8);
            r[2] = (byte) version;
            System.arraycopy(body, 0, r, 3, len);
            waiting.add(r);
            waitingBytes += r.length;
        }

        void drain() throws GeneralSecurityException {
            while (!waiting.isEmpty() && !failed && status == Status.DECRYPTING && !awaitingTraffic) {
                byte[] r = waiting.poll();
                waitingBytes -= r.length;
                int len = r.length - 3;
                byte[] body = java.util.Arrays.copyOfRange(r, 3, r.length);
                open(r[0] & 0xff, (r[1] & 0xff) << 8 | (r[2] & 0xff), body, len,
                        serverHello.version() == 0x0304);
            }
        }

        private void open(int type, int version, byte[] body, int len, boolean tls13)
                throws GeneralSecurityException {
            RecordCipher c = tls13 ? cipher : tls12;
            if (c == null) {
                fail(DecryptAnomaly.NO_KEYS);
                return;
            }
            if (plain.length < len) {
                plain = new byte[Math.max(len, Math.min(MAX_RECORD, plain.length * 2 + 512))];
            }
            int n = c.open(type, version, body, 0, len, plain);
            if (n < 0) {
                fail(DecryptAnomaly.AUTH_FAILED);
                return;
            }
            recordsDecrypted++;
            int inner = type;
            if (tls13) {
                // RFC 8446 §5.4: strip the zero padding; the last non-zero byte is the real content type
                while (n > 0 && plain[n - 1] == 0) {
                    n--;
                }
                if (n == 0) {
                    fail(DecryptAnomaly.BAD_INNER_RECORD);
                    return;
                }
                inner = plain[--n] & 0xff;
            }
            if (inner == CT_HANDSHAKE) {
                handshake.feed(plain, 0, n, this);
            } else if (inner == CT_APPLICATION_DATA && n > 0) {
                listener.onApplicationData(fromClient, plain, 0, n);
            }
            if (tls13 && switchAfterRecord) {
                switchAfterRecord = false;
                byte[] s = trafficSecret0();
                if (s == null && keys.live()) { // a live log gets it after the handshake secrets: wait for it
                    awaitingTraffic = true;
                    cipher = null;
                    handshake.reset();
                    return;
                }
                next(s);
                applicationKeys = true;
            } else if (tls13 && updateAfterRecord) {
                updateAfterRecord = false;
                next(Hkdf.expandLabel(suite.hmac, secret, "traffic upd", new byte[0], secret.length));
            }
        }

        private void next(byte[] s) throws GeneralSecurityException {
            secret = s;
            cipher = s == null ? null : RecordCipher.tls13(suite, s);
            handshake.reset();
            if (cipher == null) {
                fail(DecryptAnomaly.NO_KEYS);
            }
        }

        @Override
        public void message(int type, byte[] b, int off, int len) {
            try {
                if (type == HT_CLIENT_HELLO && fromClient && clientRandom == null && len > 0) {
                    clientRandom = Hello.clientRandom(b, off, len);
                } else if (type == HT_SERVER_HELLO && !fromClient && status == Status.HANDSHAKE && len > 0) {
                    Hello.Server sh = Hello.server(b, off, len);
                    if (sh == null) {
                        connectionFailed(DecryptAnomaly.BAD_RECORD);
                    } else if (!sh.retryRequest()) {
                        serverHello = sh;
                        if (clientRandom == null) {
                            connectionFailed(DecryptAnomaly.NO_KEYS);
                        } else {
                            keysFor(false);
                        }
                    }
                } else if (type == HT_ENCRYPTED_EXTENSIONS && !fromClient && status == Status.DECRYPTING) {
                    reportHandshake(len > 0 ? Hello.encryptedExtensionsAlpn(b, off, len) : null);
                } else if (type == HT_FINISHED && status == Status.DECRYPTING && serverHello.version() == 0x0304
                        && !applicationKeys) {
                    switchAfterRecord = true;
                } else if (type == HT_KEY_UPDATE && status == Status.DECRYPTING && applicationKeys) {
                    updateAfterRecord = true;
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                fail(DecryptAnomaly.BAD_RECORD);
            }
        }

        void fail(String anomaly) {
            if (failed) {
                return;
            }
            failed = true;
            waiting.clear();
            waitingBytes = 0;
            record = new byte[0];
            plain = new byte[0];
            listener.onFailure(fromClient, anomaly);
        }
    }
}
