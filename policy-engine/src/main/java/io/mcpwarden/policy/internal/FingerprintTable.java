package io.mcpwarden.policy.internal;

/**
 * An open-addressing table keyed by 128-bit {@link Fingerprint fingerprints}, with two {@code long}
 * words and an optional object per entry: the memories of the per-event path (decisions, first sightings, name
 * facts) without a key string, a map node or a boxed value per entry. A key and its words lie side by side in
 * one {@code long[]}, so a lookup usually reads one cache line.
 *
 * <p>Linear probing, at most half full; it starts at 64 k slots (fewer for a small bound), doubles, and is emptied
 * as a whole when it holds {@code max} entries. The fingerprint (0, 0) marks a free slot and is never a key. Not
 * thread-safe: its owner holds a monitor around each use.
 *
 * @param <V> the object kept per entry (may be null)
 */
final class FingerprintTable<V> {
    private static final int WORDS = 4; // fingerprint a, b, word 0, word 1
    /** Slots at first: 32 k entries before the first doubling (a busy link brings that many names within seconds, and
     * every doubling of a table of megabytes leaves the collector a large array to copy or promote). */
    private static final int INITIAL_CAPACITY = 1 << 16;

    private final int initialCapacity;
    private final int max;
    private long[] slots;
    private Object[] values;
    private int mask;
    private int size;

    /** A table of at most {@code max} entries. */
    FingerprintTable(int max) {
        this.max = max;
        // a small bound needs no more than twice its slots (a power of two)
        this.initialCapacity = Math.max(16, Math.min(INITIAL_CAPACITY, Integer.highestOneBit(Math.max(1, max)) << 2));
        allocate(initialCapacity);
    }

    private void allocate(int capacity) {
        slots = new long[capacity * WORDS];
        values = new Object[capacity];
        mask = capacity - 1;
        size = 0;
    }

    /** The slot of {@code key}, or -1 when absent. */
    int find(Fingerprint key) {
        long a = key.a();
        long b = key.b();
        for (int i = (int) a & mask; ; i = (i + 1) & mask) {
            int w = i * WORDS;
            long s1 = slots[w];
            long s2 = slots[w + 1];
            if (s1 == a && s2 == b) {
                return i;
            }
            if (s1 == 0 && s2 == 0) {
                return -1;
            }
        }
    }

    /** Word {@code k} (0 or 1) of the entry in {@code slot}. */
    long word(int slot, int k) {
        return slots[slot * WORDS + 2 + k];
    }

    /** The object of the entry in {@code slot}. */
    @SuppressWarnings("unchecked")
    V value(int slot) {
        return (V) values[slot];
    }

    /**
     * Puts {@code (a, b)} with its words and object, replacing what was there. When the table holds {@code max}
     * entries and the key is new, it is emptied first; returns whether it was.
     */
    boolean put(Fingerprint key, long word0, long word1, V value) {
        boolean emptied = false;
        if (size >= max && find(key) < 0) {
            allocate(initialCapacity);
            emptied = true;
        } else if (2 * (size + 1) > mask + 1) {
            grow();
        }
        insert(key.a(), key.b(), word0, word1, value);
        return emptied;
    }

    private void insert(long a, long b, long word0, long word1, Object value) {
        for (int i = (int) a & mask; ; i = (i + 1) & mask) {
            int w = i * WORDS;
            boolean free = slots[w] == 0 && slots[w + 1] == 0;
            if (free || slots[w] == a && slots[w + 1] == b) {
                if (free) {
                    size++;
                }
                slots[w] = a;
                slots[w + 1] = b;
                slots[w + 2] = word0;
                slots[w + 3] = word1;
                values[i] = value;
                return;
            }
        }
    }

    private void grow() {
        long[] oldSlots = slots;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        for (int i = 0; i < oldValues.length; i++) {
            int w = i * WORDS;
            if (oldSlots[w] != 0 || oldSlots[w + 1] != 0) {
                insert(oldSlots[w], oldSlots[w + 1], oldSlots[w + 2], oldSlots[w + 3], oldValues[i]);
            }
        }
    }

    /** Empties the table (back to its first size). */
    void clear() {
        allocate(initialCapacity);
    }

    int size() {
        return size;
    }

    int capacity() {
        return values.length;
    }
}
