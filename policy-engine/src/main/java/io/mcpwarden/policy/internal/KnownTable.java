package io.mcpwarden.policy.internal;

import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.facts.Subject;

import java.security.SecureRandom;
import java.util.List;

/**
 * Decisions by fingerprint. Two per rule-set state: one keyed by the name fields of DNS query, TLS and HTTP
 * events (their {@link #key(WardenEvent) key}), which lets a repeated name be judged without computing its
 * subject; one keyed by the whole {@link #key(Subject) subject}, the decision per (endpoint, client) that another
 * spelling of a name, and an MCP event, find.
 *
 * <p>Built for the per-event path, which is memory-bound while the pipeline streams packets through the caches:
 * the key is a 128-bit fingerprint hashed straight from the event's strings (no key string is built), and an
 * entry's fingerprint, expiry and first-sight epoch lie side by side in one {@code long[]}, so a lookup usually
 * reads one cache line of the table; the decision object is read only when it has verdicts. The fingerprint is
 * seeded per process from {@link SecureRandom}: two different keys share one with probability about
 * 2<sup>-128</sup>, and without the seed nobody can choose names that do.
 *
 * <p>A {@link FingerprintTable}: emptied as a whole when it holds {@code max} entries. Thread-safe by one
 * monitor: the events of a run are judged on one thread, so it is uncontended.
 */
final class KnownTable {
    private static final long SEED1;
    private static final long SEED2;

    static {
        SecureRandom r = new SecureRandom();
        SEED1 = r.nextLong();
        SEED2 = r.nextLong();
    }

    /** What {@link #get} answers for a valid decision without verdicts. */
    static final PolicyImpl.Known NO_VERDICTS = new PolicyImpl.Known("", "", List.of());

    /** Per key: word 0 the expiry (nanoTime), word 1 the first-sight epoch << 1 | has verdicts. */
    private final FingerprintTable<PolicyImpl.Known> table;

    /** A key's 128-bit fingerprint. */
    record Fingerprint(long a, long b) {
    }

    /** A table of at most {@code max} entries. */
    KnownTable(int max) {
        this.table = new FingerprintTable<>(max);
    }

    /**
     * The fingerprint of the event's key fields: for a DNS query the client address and the query name; for TLS
     * the client address, server port and SNI (the server address without one); for HTTP the client address,
     * port, Host and URL. Events with equal fields get equal subjects (see {@link Subjects#of}). Null (no key)
     * for other events and when a field is missing.
     */
    static Fingerprint key(WardenEvent event) {
        FlowRef f = event.flow();
        if (f == null || f.srcIp() == null) {
            return null;
        }
        // each branch finishes its own hasher: merged into one variable, the JIT would have to allocate it
        if (event instanceof DnsEvent d) {
            if (!"query".equals(d.type()) || d.rrname() == null) {
                return null;
            }
            return new Hasher('d').add(f.srcIp()).add(d.rrname()).done();
        }
        if (event instanceof TlsEvent t) {
            String host = t.sni() != null && !t.sni().isEmpty() ? t.sni() : f.destIp();
            return host == null ? null : new Hasher('t').add(f.destPort()).add(f.srcIp()).add(host).done();
        }
        if (event instanceof HttpEvent ht) {
            String host = ht.hostname();
            return host == null ? null : new Hasher('h').add(ht.httpPort()).add(f.srcIp()).add(host)
                    .add(ht.url() == null ? "" : ht.url()).done();
        }
        return null;
    }

    /**
     * The decision known for {@code key} if it is still valid (not expired at {@code nowNanos}, taken in
     * first-sight epoch {@code epoch}): {@link #NO_VERDICTS} when it has none (the decision object is then not
     * read), else the decision; null when there is none.
     */
    synchronized PolicyImpl.Known get(Fingerprint key, int epoch, long nowNanos) {
        int i = table.find(key.a(), key.b());
        if (i < 0) {
            return null;
        }
        long meta = table.word(i, 1);
        if (table.word(i, 0) - nowNanos <= 0 || (int) (meta >>> 1) != epoch) {
            return null;
        }
        return (meta & 1) == 0 ? NO_VERDICTS : table.value(i);
    }

    /** When the decision under {@code key} expires ({@link System#nanoTime} terms); {@code nowNanos} if none. */
    synchronized long expiresNanos(Fingerprint key, long nowNanos) {
        int i = table.find(key.a(), key.b());
        return i < 0 ? nowNanos : table.word(i, 0);
    }

    /**
     * Remembers {@code known} under {@code key}, replacing what was there, valid until {@code expiresNanos} (in
     * {@link System#nanoTime} terms) within first-sight epoch {@code epoch}.
     */
    synchronized void put(Fingerprint key, PolicyImpl.Known known, long expiresNanos, int epoch) {
        boolean verdicts = !known.verdicts().isEmpty();
        table.put(key.a(), key.b(), expiresNanos, ((long) epoch << 1) | (verdicts ? 1 : 0), verdicts ? known : null);
    }

    synchronized int size() {
        return table.size();
    }

    synchronized int capacity() {
        return table.capacity();
    }

    /**
     * The fingerprint of every field of a subject: the key of a decision per subject, which the rules see whole
     * (a record component missing here would merge subjects the rules tell apart; a test checks each one).
     */
    static Fingerprint key(Subject s) {
        int bits = (s.registered() ? 1 : 0) | (s.registryTerms() ? 2 : 0) | (s.firstSight() ? 4 : 0)
                | (s.encrypted() ? 8 : 0) | (s.nameHasMcpToken() ? 16 : 0) | (s.deprecatedVersion() ? 32 : 0);
        return new Hasher('S').add(s.eventType()).add(s.host()).add(s.path()).add(s.endpoint())
                .add(s.registryName()).add(s.lookalikeOf()).add(s.protocolVersion()).add(s.clientName())
                .add(s.clientIp()).add(s.port()).add(bits).done();
    }

    /** The fingerprint of a tag and one string (for the name memories of {@link Subjects}). */
    static Fingerprint key(int tag, String s) {
        return new Hasher(tag).add(s).done();
    }

    /** The fingerprint of a tag and two strings. */
    static Fingerprint key(int tag, String s1, String s2) {
        return new Hasher(tag).add(s1).add(s2).done();
    }

    /**
     * Two independent 64-bit hashes fed the same fields, in one pass over each string (the two dependency chains
     * run side by side). A string adds its characters, then its length (so that no two field sequences run into
     * each other); null adds a marker no string gives.
     */
    private static final class Hasher {
        private long a;
        private long b;

        Hasher(int tag) {
            a = mixInt(SEED1, tag);
            b = mixInt(SEED2, tag);
        }

        Hasher add(int v) {
            a = mixInt(a, v);
            b = mixInt(b, v);
            return this;
        }

        Hasher add(String s) {
            if (s == null) {
                return add(-1);
            }
            long x = a;
            long y = b;
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                x = (x ^ c) * 0x100000001B3L;
                x ^= x >>> 31;
                y = Long.rotateLeft(y + c, 23) * 0xFF51AFD7ED558CCDL;
            }
            a = (x ^ n) * 0xC2B2AE3D27D4EB4FL;
            b = (y + n) * 0x94D049BB133111EBL;
            return this;
        }

        Fingerprint done() {
            return KnownTable.done(a, b);
        }
    }

    private static Fingerprint done(long a, long b) {
        a = fmix(a);
        b = fmix(b);
        return new Fingerprint(a == 0 && b == 0 ? 1 : a, b); // (0, 0) marks a free slot
    }

    private static long mixInt(long h, int v) {
        return (h ^ v) * 0x9E3779B97F4A7C15L;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit (the table index is the low bits). */
    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }
}
