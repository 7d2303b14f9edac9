package io.mcpwarden.policy.internal;

import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.WardenEvent;

import java.security.SecureRandom;
import java.util.List;

/**
 * The decisions known for the name fields of DNS query, TLS and HTTP events (their {@link #key key}): what lets a
 * repeated name be judged without computing its subject. One table per rule-set state.
 *
 * <p>Built for the per-event path, which is memory-bound while the pipeline streams packets through the caches:
 * the key is a 128-bit fingerprint hashed straight from the event's strings (no key string is built), and an
 * entry's fingerprint, expiry and first-sight epoch lie side by side in one {@code long[]}, so a lookup usually
 * reads one cache line of the table; the decision object is read only when it has verdicts. The fingerprint is
 * seeded per process from {@link SecureRandom}: two different keys share one with probability about
 * 2<sup>-128</sup>, and without the seed nobody can choose names that do.
 *
 * <p>Open addressing with linear probing, at most half full; it starts small, doubles, and is emptied as a whole
 * when it holds {@code max} entries (as the subject cache is). Thread-safe by one monitor: the events of a run
 * are judged on one thread, so it is uncontended.
 */
final class KnownTable {
    private static final long SEED1;
    private static final long SEED2;

    static {
        SecureRandom r = new SecureRandom();
        SEED1 = r.nextLong();
        SEED2 = r.nextLong();
    }

    private static final int WORDS = 4; // fingerprint a, b, expiresNanos, epoch << 1 | has verdicts
    private static final int INITIAL_CAPACITY = 1 << 10;

    /** What {@link #get} answers for a valid decision without verdicts. */
    static final PolicyImpl.Known NO_VERDICTS = new PolicyImpl.Known("", "", List.of());

    private final int max;
    private long[] slots;
    private PolicyImpl.Known[] values;
    private int mask;
    private int size;

    /** A key's 128-bit fingerprint. */
    record Fingerprint(long a, long b) {
    }

    /** A table of at most {@code max} entries. */
    KnownTable(int max) {
        this.max = max;
        allocate(INITIAL_CAPACITY);
    }

    private void allocate(int capacity) {
        slots = new long[capacity * WORDS];
        values = new PolicyImpl.Known[capacity];
        mask = capacity - 1;
        size = 0;
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
        long a = SEED1;
        long b = SEED2;
        if (event instanceof DnsEvent d) {
            if (!"query".equals(d.type()) || d.rrname() == null) {
                return null;
            }
            a = mixString(mixString(mixInt(a, 'd'), f.srcIp()), d.rrname());
            b = mixString2(mixString2(mixInt(b, 'd'), f.srcIp()), d.rrname());
        } else if (event instanceof TlsEvent t) {
            String host = t.sni() != null && !t.sni().isEmpty() ? t.sni() : f.destIp();
            if (host == null) {
                return null;
            }
            a = mixString(mixString(mixInt(mixInt(a, 't'), f.destPort()), f.srcIp()), host);
            b = mixString2(mixString2(mixInt(mixInt(b, 't'), f.destPort()), f.srcIp()), host);
        } else if (event instanceof HttpEvent h) {
            String host = h.hostname();
            if (host == null) {
                return null;
            }
            String url = h.url() == null ? "" : h.url();
            a = mixString(mixString(mixString(mixInt(mixInt(a, 'h'), h.httpPort()), f.srcIp()), host), url);
            b = mixString2(mixString2(mixString2(mixInt(mixInt(b, 'h'), h.httpPort()), f.srcIp()), host), url);
        } else {
            return null;
        }
        a = fmix(a);
        b = fmix(b);
        return new Fingerprint(a == 0 && b == 0 ? 1 : a, b); // (0, 0) marks a free slot
    }

    /**
     * The decision known for {@code key} if it is still valid (not expired at {@code nowNanos}, taken in
     * first-sight epoch {@code epoch}): {@link #NO_VERDICTS} when it has none (the decision object is then not
     * read), else the decision; null when there is none.
     */
    synchronized PolicyImpl.Known get(Fingerprint key, int epoch, long nowNanos) {
        long a = key.a();
        long b = key.b();
        for (int i = (int) a & mask; ; i = (i + 1) & mask) {
            int w = i * WORDS;
            long s1 = slots[w];
            long s2 = slots[w + 1];
            if (s1 == a && s2 == b) {
                long meta = slots[w + 3];
                if (slots[w + 2] - nowNanos <= 0 || (int) (meta >>> 1) != epoch) {
                    return null;
                }
                return (meta & 1) == 0 ? NO_VERDICTS : values[i];
            }
            if (s1 == 0 && s2 == 0) {
                return null;
            }
        }
    }

    /**
     * Remembers {@code known} under {@code key}, replacing what was there, valid until {@code expiresNanos} (in
     * {@link System#nanoTime} terms) within first-sight epoch {@code epoch}.
     */
    synchronized void put(Fingerprint key, PolicyImpl.Known known, long expiresNanos, int epoch) {
        if (size >= max) {
            allocate(INITIAL_CAPACITY);
        } else if (2 * (size + 1) > mask + 1) {
            grow();
        }
        insert(key.a(), key.b(), known, expiresNanos, ((long) epoch << 1) | (known.verdicts().isEmpty() ? 0 : 1));
    }

    private void insert(long a, long b, PolicyImpl.Known known, long expiresNanos, long meta) {
        for (int i = (int) a & mask; ; i = (i + 1) & mask) {
            int w = i * WORDS;
            boolean free = slots[w] == 0 && slots[w + 1] == 0;
            if (free || slots[w] == a && slots[w + 1] == b) {
                if (free) {
                    size++;
                }
                slots[w] = a;
                slots[w + 1] = b;
                slots[w + 2] = expiresNanos;
                slots[w + 3] = meta;
                values[i] = known;
                return;
            }
        }
    }

    private void grow() {
        long[] oldSlots = slots;
        PolicyImpl.Known[] oldValues = values;
        allocate(oldValues.length * 2);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int w = i * WORDS;
                insert(oldSlots[w], oldSlots[w + 1], oldValues[i], oldSlots[w + 2], oldSlots[w + 3]);
            }
        }
    }

    synchronized int size() {
        return size;
    }

    synchronized int capacity() {
        return values.length;
    }

    private static long mixInt(long h, int v) {
        return (h ^ v) * 0x9E3779B97F4A7C15L;
    }

    /** The characters, then the length (so that no two field sequences run into each other). */
    private static long mixString(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
            h ^= h >>> 31;
        }
        return (h ^ s.length()) * 0xC2B2AE3D27D4EB4FL;
    }

    /** As {@link #mixString} with other constants and operations, for the independent second half. */
    private static long mixString2(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            h = Long.rotateLeft(h + s.charAt(i), 23) * 0xFF51AFD7ED558CCDL;
        }
        return (h + s.length()) * 0x94D049BB133111EBL;
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
