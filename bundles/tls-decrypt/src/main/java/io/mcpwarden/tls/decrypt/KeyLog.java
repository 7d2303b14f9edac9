package io.mcpwarden.tls.decrypt;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS secrets by client random, as an NSS key log names them. Thread-safe: a capture reader may add secrets
 * (pcapng Decryption Secrets Blocks) while pipeline threads look them up. Bounded at {@link #MAX_CONNECTIONS}.
 */
public final class KeyLog {
    /** Most client randoms held; further secrets are dropped and counted. */
    public static final int MAX_CONNECTIONS = 1 << 20;
    /** Longest secret accepted (SHA-384 secrets and TLS 1.2 master secrets are 48 bytes). */
    static final int MAX_SECRET = 64;

    private final Map<Key, TlsSecrets> byRandom = new ConcurrentHashMap<>();
    private volatile long dropped;
    /** Reads secrets added to the log's file since (a key log being written while capture goes on); or null. */
    private volatile Runnable refresher;

    /** An empty key log. */
    public KeyLog() {
    }

    /**
     * Adds one secret. Labels other than those of {@link SecretLabel} are ignored.
     *
     * @return false when the label is unknown, the client random is not 32 bytes, the secret is empty or too long,
     *         or the log is full
     */
    public boolean add(String label, byte[] clientRandom, byte[] secret) {
        SecretLabel l = SecretLabel.of(label);
        if (l == null || clientRandom == null || clientRandom.length != 32 || secret == null || secret.length == 0
                || secret.length > MAX_SECRET) {
            return false;
        }
        Key k = new Key(clientRandom.clone());
        if (byRandom.size() >= MAX_CONNECTIONS && !byRandom.containsKey(k)) {
            dropped++;
            return false;
        }
        byRandom.merge(k, TlsSecrets.EMPTY.with(l, secret), (a, b) -> a.with(l, secret));
        return true;
    }

    /** @return the secrets logged for this client random, or null */
    public TlsSecrets lookup(byte[] clientRandom) {
        return clientRandom == null ? null : byRandom.get(new Key(clientRandom));
    }

    /**
     * Makes this a live log: secrets may still be added while connections are decrypted (a key log file that
     * clients append to during a live capture). {@link #lookupFresh} runs {@code refresher} (thread-safe, cheap
     * when nothing was added) before giving up on a client random; a decryptor waits a little for missing keys.
     */
    public void follow(Runnable refresher) {
        this.refresher = refresher;
    }

    /** @return true when secrets may still arrive (see {@link #follow}) */
    public boolean live() {
        return refresher != null;
    }

    /**
     * The secrets for this client random as {@link #lookup}, reading what was added to a live log first when
     * {@code complete} says the ones held are not enough.
     */
    public TlsSecrets lookupFresh(byte[] clientRandom, java.util.function.Predicate<TlsSecrets> complete) {
        TlsSecrets s = lookup(clientRandom);
        Runnable r = refresher;
        if (r != null && (s == null || !complete.test(s))) {
            r.run();
            s = lookup(clientRandom);
        }
        return s;
    }

    /** @return number of connections (client randoms) with at least one secret */
    public int size() {
        return byRandom.size();
    }

    /** @return true when no secret is held */
    public boolean isEmpty() {
        return byRandom.isEmpty();
    }

    /** @return secrets dropped because the log was full */
    public long dropped() {
        return dropped;
    }

    /** Copies every secret of {@code other} into this log. */
    public void addAll(KeyLog other) {
        other.byRandom.forEach((k, v) -> byRandom.merge(k, v, TlsSecrets::merge));
    }

    @Override
    public String toString() {
        return "KeyLog[" + byRandom.size() + " connections]";
    }

    /** A client random as a map key. */
    private record Key(byte[] random) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(random, k.random);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(random);
        }
    }
}
