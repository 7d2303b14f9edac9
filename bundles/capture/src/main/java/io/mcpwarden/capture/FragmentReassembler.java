package io.mcpwarden.capture;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Bounded IP fragment reassembly for IPv4 (RFC 791, RFC 815) and IPv6 (RFC 8200 section 4.5).
 * Data is tracked in 8-byte units; bytes already received are never overwritten (first copy wins), so
 * overlapping fragments cannot rewrite a datagram. Datagrams that are inconsistent (conflicting ends, a
 * non-final fragment that is not a multiple of 8 bytes, more than {@link #MAX_DATAGRAM_BYTES}) are dropped.
 * Not thread-safe.
 */
final class FragmentReassembler {
    static final int MAX_DATAGRAMS_IN_PROGRESS = 256;
    static final int MAX_DATAGRAM_BYTES = 65_535;
    static final int MAX_FRAGMENTS_PER_DATAGRAM = 256;
    static final long DEFAULT_TIMEOUT_NANOS = 30_000_000_000L;
    private static final int UNITS = (MAX_DATAGRAM_BYTES + 7) / 8;

    /** Key: IP version, addresses packed into longs, identification, and (IPv4 only) protocol. */
    private record Key(int version, long s0, long s1, long d0, long d1, long id, int proto) {
    }

    /** A datagram in progress; after completion {@link #buf} holds {@link #length} bytes of payload. */
    static final class Datagram {
        byte[] buf = new byte[1500];
        final long[] covered = new long[(UNITS + 63) / 64];
        int coveredUnits;
        int end = -1;
        int maxSeen;
        int fragments;
        int proto = -1;
        long firstSeen;
        int length;
    }

    private final LinkedHashMap<Key, Datagram> table = new LinkedHashMap<>();
    private final int maxDatagrams;
    private final long timeoutNanos;
    private long now = Long.MIN_VALUE;

    long reassembled;
    long timeouts;
    long overlaps;
    long dropped;
    long evicted;

    FragmentReassembler() {
        this(MAX_DATAGRAMS_IN_PROGRESS, DEFAULT_TIMEOUT_NANOS);
    }

    FragmentReassembler(int maxDatagrams, long timeoutNanos) {
        this.maxDatagrams = Math.max(1, Math.min(maxDatagrams, MAX_DATAGRAMS_IN_PROGRESS));
        this.timeoutNanos = timeoutNanos;
    }

    int inProgress() {
        return table.size();
    }

    /** Expires datagrams older than the timeout, by capture time (the latest time seen so far). */
    void advance(long tsNanos) {
        if (tsNanos > now) {
            now = tsNanos;
        }
        if (table.isEmpty()) {
            return;
        }
        Iterator<Datagram> it = table.values().iterator();
        while (it.hasNext()) {
            Datagram d = it.next();
            if (now - d.firstSeen <= timeoutNanos) {
                break;
            }
            it.remove();
            timeouts++;
        }
    }

    /**
     * Adds one fragment.
     *
     * @param addr   buffer holding the source address followed at {@code dstAt} by the destination address
     * @param offset fragment offset in bytes
     * @param more   the more-fragments flag
     * @return the completed datagram (removed from the table), or null while incomplete or when dropped
     */
    Datagram offer(int version, byte[] src, byte[] dst, int addrLen, long id, int proto, int offset, boolean more,
                   byte[] data, int dataOff, int dataLen, long tsNanos) {
        advance(tsNanos);
        Key key = key(version, src, dst, addrLen, id, proto);
        int fragEnd = offset + dataLen;
        if (dataLen < 0 || offset < 0 || fragEnd > MAX_DATAGRAM_BYTES || (more && (dataLen == 0 || (dataLen & 7) != 0))) {
            drop(key);
            return null;
        }
        Datagram d = table.get(key);
        if (d == null) {
            if (table.size() >= maxDatagrams) {
                Iterator<Datagram> it = table.values().iterator();
                it.next();
                it.remove();
                evicted++;
            }
            d = new Datagram();
            d.firstSeen = now;
            table.put(key, d);
        }
        if (++d.fragments > MAX_FRAGMENTS_PER_DATAGRAM) {
            drop(key);
            return null;
        }
        if (!more) {
            if ((d.end >= 0 && d.end != fragEnd) || fragEnd < d.maxSeen) {
                drop(key);
                return null;
            }
            d.end = fragEnd;
        } else if (d.end >= 0 && fragEnd > d.end) {
            drop(key);
            return null;
        }
        d.maxSeen = Math.max(d.maxSeen, fragEnd);
        if (offset == 0 && d.proto < 0) {
            d.proto = proto;
        }
        if (d.buf.length < fragEnd) {
            int n = Math.min(MAX_DATAGRAM_BYTES, Math.max(fragEnd, d.buf.length * 2));
            d.buf = java.util.Arrays.copyOf(d.buf, n);
        }
        boolean overlap = false;
        int firstUnit = offset >>> 3;
        int lastUnit = (fragEnd + 7) >>> 3;
        for (int u = firstUnit; u < lastUnit; u++) {
            long bit = 1L << (u & 63);
            if ((d.covered[u >>> 6] & bit) != 0) {
                overlap = true;
                continue;
            }
            int from = u << 3;
            int to = Math.min(from + 8, fragEnd);
            System.arraycopy(data, dataOff + (from - offset), d.buf, from, to - from);
            d.covered[u >>> 6] |= bit;
            d.coveredUnits++;
        }
        if (overlap) {
            overlaps++;
        }
        if (d.end >= 0 && d.coveredUnits == (d.end + 7) >>> 3 && d.proto >= 0) {
            table.remove(key);
            d.length = d.end;
            reassembled++;
            return d;
        }
        return null;
    }

    private void drop(Key key) {
        dropped++;
        table.remove(key);
    }

    private static Key key(int version, byte[] src, byte[] dst, int addrLen, long id, int proto) {
        if (addrLen == 4) {
            return new Key(version, get32(src, 0), 0, get32(dst, 0), 0, id, proto);
        }
        return new Key(version, get64(src, 0), get64(src, 8), get64(dst, 0), get64(dst, 8), id, -1);
    }

    private static long get32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    private static long get64(byte[] b, int p) {
        return (get32(b, p) << 32) | get32(b, p + 4);
    }
}
