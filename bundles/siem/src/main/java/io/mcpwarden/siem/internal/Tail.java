package io.mcpwarden.siem.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The newest records of a {@link Spool}, kept in memory after they were written to the segment file, so that a
 * sender that keeps up takes them from here instead of reading them back from disk. Only a cache: every record
 * in it is also in the file, and whatever is not (or no longer) here is read from the file.
 *
 * <p>Holds consecutive seqs, each with the place where its record starts in the file; bounded by payload
 * bytes (the oldest are forgotten first). The lengths are kept beside the payloads so that forgetting the oldest
 * record does not read an array written megabytes ago (a cache miss per record appended). Not thread-safe: the
 * spool calls it under its lock.
 */
final class Tail {
    private final long maxBytes;
    private byte[][] payloads = new byte[1024][];
    private long[] segments = new long[1024];
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private int head;
    private int size;
    private long firstSeq;
    private long bytes;

    Tail(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds the record {@code seq}, written at {@code offset} of segment {@code segment}; a gap starts afresh. */
    void add(long segment, long offset, long seq, byte[] payload) {
        if (size > 0 && seq != firstSeq + size) {
            clear();
        }
        if (size == 0) {
            firstSeq = seq;
        }
        if (size == payloads.length) {
            grow();
        }
        int i = (head + size) & (payloads.length - 1);
        payloads[i] = payload;
        segments[i] = segment;
        offsets[i] = offset;
        lengths[i] = payload.length;
        size++;
        bytes += payload.length;
        while (bytes > maxBytes && size > 1) {
            removeOldest();
        }
    }

    /**
     * Takes records from {@code from} on into {@code out} until {@code maxBytes} payload bytes are reached (at least
     * one record).
     *
     * @return the place after the last record taken, or null when the record at {@code from} is not here
     */
    Spool.Pos take(Spool.Pos from, int maxBytes, List<byte[]> out) {
        long k = from.seq() - firstSeq;
        if (k < 0 || k >= size) {
            return null;
        }
        int i = (int) ((head + k) & (payloads.length - 1));
        if (segments[i] != from.segment() || offsets[i] != from.offset()) {
            return null; // not the record the reader expects there: let the file decide
        }
        long seq = from.seq();
        long seg = from.segment();
        long end = from.offset();
        int taken = 0;
        while (k < size && (taken == 0 || taken < maxBytes)) {
            i = (int) ((head + k) & (payloads.length - 1));
            if (segments[i] != seg) {
                break; // the next segment begins: the reader moves there first
            }
            out.add(payloads[i]);
            taken += lengths[i];
            end = offsets[i] + Spool.HEADER + lengths[i];
            seq++;
            k++;
        }
        return new Spool.Pos(seg, end, seq);
    }

    /** Forgets every record. */
    void clear() {
        Arrays.fill(payloads, null);
        head = 0;
        size = 0;
        bytes = 0;
    }

    /** Records held (for tests). */
    int size() {
        return size;
    }

    private void removeOldest() {
        bytes -= lengths[head];
        payloads[head] = null;
        head = (head + 1) & (payloads.length - 1);
        size--;
        firstSeq++;
    }

    private void grow() {
        int n = payloads.length;
        byte[][] p = new byte[n * 2][];
        long[] s = new long[n * 2];
        long[] o = new long[n * 2];
        int[] l = new int[n * 2];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (n - 1);
            p[k] = payloads[i];
            s[k] = segments[i];
            o[k] = offsets[i];
            l[k] = lengths[i];
        }
        payloads = p;
        segments = s;
        offsets = o;
        lengths = l;
        head = 0;
    }
}
