package io.mcpwarden.policy.internal;

import java.security.SecureRandom;

/**
 * A 128-bit fingerprint of a sequence of fields, the key of a {@link FingerprintTable}: two independent 64-bit
 * hashes fed the same fields, seeded per process from {@link SecureRandom}. Two different sequences share one with
 * probability about 2<sup>-128</sup>, and without the seed nobody can choose names that do. Hashed straight from
 * the fields, so no key string is built. Never (0, 0), which marks a free slot of a table.
 */
record Fingerprint(long a, long b) {
    private static final long SEED1;
    private static final long SEED2;

    static {
        SecureRandom r = new SecureRandom();
        SEED1 = r.nextLong();
        SEED2 = r.nextLong();
    }

    /** The fingerprint of a tag and one string. */
    static Fingerprint of(int tag, String s) {
        return new Hasher(tag).add(s).done();
    }

    /** The fingerprint of a tag and two strings. */
    static Fingerprint of(int tag, String s1, String s2) {
        return new Hasher(tag).add(s1).add(s2).done();
    }

    /**
     * Feeds fields, in one pass over each string (the two dependency chains run side by side). A string adds its
     * characters, then its length (so that no two field sequences run into each other); null adds a marker no
     * string gives. A caller that hashes in branches finishes each branch's hasher there: merged into one
     * variable, the JIT would have to allocate it.
     */
    static final class Hasher {
        private long a;
        private long b;

        /** Starts with a tag that tells kinds of keys apart. */
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
            long x = fmix(a);
            long y = fmix(b);
            return new Fingerprint(x == 0 && y == 0 ? 1 : x, y); // (0, 0) marks a free slot
        }
    }

    private static long mixInt(long h, int v) {
        return (h ^ v) * 0x9E3779B97F4A7C15L;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit (a table index is the low bits). */
    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }
}
