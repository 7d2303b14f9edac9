package io.mcpwarden.flow;

/**
 * Reassembly of one direction of a TCP connection (RFC 9293 sequence space, 32-bit wraparound handled by
 * signed differences). In-order bytes go straight from the packet buffer to the listener; segments ahead of a
 * hole are copied into a sorted list bounded by the table's limits. Overlaps are trimmed so that the bytes seen
 * first win. Holes become gaps when a limit is hit, when the peer acknowledges past them, or at flow end.
 */
final class TcpStream {
    /** Segments buffered per direction at most (bounds the insertion walk and per-segment overhead). */
    static final int MAX_SEGMENTS = 2048;
    /** Sequence distances beyond this are treated as bogus (a valid window is far smaller than 2^30). */
    static final int MAX_SEQ_JUMP = 1 << 30;

    private final FlowTable table;
    private final Flow flow;
    private final Direction dir;

    boolean init;
    /** Sequence number of the next byte to deliver. */
    int next;
    boolean finSeen;
    /** Sequence number the FIN occupies (the end of the data). */
    int finSeq;
    private Seg head;
    int segCount;
    int buffered;

    private static final class Seg {
        final int seq;
        final byte[] data;
        Seg next;

        Seg(int seq, byte[] data) {
            this.seq = seq;
            this.data = data;
        }
    }

    TcpStream(FlowTable table, Flow flow, Direction dir) {
        this.table = table;
        this.flow = flow;
        this.dir = dir;
    }

    /** A SYN from this side: data starts at ISN + 1. */
    void syn(int isn) {
        if (!init) {
            init = true;
            next = isn + 1;
        }
    }

    /** A FIN from this side; {@code seq} is the sequence number after the segment's data. */
    void fin(int seq) {
        if (!finSeen) {
            finSeen = true;
            finSeq = seq;
        }
    }

    /** A data segment of this side ({@code len > 0}; {@code seq} of its first byte). */
    void segment(int seq, byte[] buf, int off, int len, long ts) {
        if (len <= 0) {
            return;
        }
        if (!init) {
            init = true;
            next = seq;
        }
        int rel = seq - next;
        if ((long) rel + len <= 0) {
            table.retransmittedBytes += len;
            return;
        }
        if (rel > MAX_SEQ_JUMP) {
            table.outOfWindowSegments++;
            return;
        }
        if (rel > 0) {
            table.oooSegments++;
        }
        while (len > 0) {
            rel = seq - next;
            if (rel < 0) {
                int skip = (int) Math.min(len, -(long) rel);
                table.overlapBytes += skip;
                seq += skip;
                off += skip;
                len -= skip;
                continue;
            }
            if (rel == 0) {
                int limit = len;
                if (head != null) {
                    limit = Math.min(len, head.seq - next);
                }
                if (limit > 0) {
                    next += limit;
                    table.deliver(flow, dir, buf, off, limit, ts);
                    seq += limit;
                    off += limit;
                    len -= limit;
                }
                if (len > 0) {
                    countConflicts(seq, buf, off, len);
                }
                drain(ts);
                continue;
            }
            if (fits(len)) {
                insert(seq, buf, off, len);
                return;
            }
            // A limit is hit: give up on the hole before the earliest data we have and move on.
            table.bufferDrops++;
            int target = head == null ? rel : Math.min(rel, head.seq - next);
            gap(target, ts);
            drain(ts);
        }
    }

    /** The peer acknowledged up to {@code ack}: whatever this side sent before it and we lack was missed. */
    void acked(int ack, long ts) {
        if (!init) {
            return;
        }
        int target = ack;
        if (finSeen && target - finSeq > 0) {
            target = finSeq;
        }
        int d = target - next;
        if (d <= 0 || d > MAX_SEQ_JUMP) {
            return;
        }
        while (target - next > 0) {
            int step = target - next;
            if (head != null && head.seq - target < 0) {
                step = head.seq - next;
            }
            if (step > 0) {
                gap(step, ts);
            }
            drain(ts);
        }
    }

    /** Flow end: deliver what can be delivered, declaring every remaining hole a gap; frees the buffer. */
    void flush(long ts) {
        while (head != null) {
            int h = head.seq - next;
            if (h > 0) {
                gap(h, ts);
            }
            drain(ts);
        }
        if (init && finSeen) {
            int d = finSeq - next;
            if (d > 0 && d <= MAX_SEQ_JUMP) {
                gap(d, ts);
            }
        }
    }

    private boolean fits(int len) {
        return segCount < MAX_SEGMENTS
                && (long) buffered + len <= table.config.maxBufferPerDirection()
                && table.bufferedBytes + len <= table.config.maxBufferTotal();
    }

    private void gap(int n, long ts) {
        next += n;
        table.gap(flow, dir, n, ts);
    }

    /** Delivers buffered segments that now start at or before {@code next}. */
    private void drain(long ts) {
        while (head != null) {
            Seg s = head;
            int h = s.seq - next;
            if (h > 0) {
                return;
            }
            head = s.next;
            segCount--;
            buffered -= s.data.length;
            table.bufferedBytes -= s.data.length;
            int skip = -h;
            if (skip < s.data.length) {
                int n = s.data.length - skip;
                next += n;
                table.deliver(flow, dir, s.data, skip, n, ts);
            }
        }
    }

    /** Buffers the parts of a segment ahead of {@code next} that fill holes (existing bytes win). */
    private void insert(int seq, byte[] buf, int off, int len) {
        final int start = seq - next;
        final int end = start + len;
        int cur = start;
        int dup = 0;
        Seg prev = null;
        Seg node = head;
        while (node != null && cur < end) {
            int ns = node.seq - next;
            int ne = ns + node.data.length;
            if (ne <= cur) {
                prev = node;
                node = node.next;
                continue;
            }
            if (ns >= end) {
                break;
            }
            if (ns > cur) {
                prev = link(prev, node, cur, buf, off + (cur - start), ns - cur);
                cur = ns;
            }
            int oe = Math.min(ne, end);
            for (int i = cur; i < oe; i++) {
                if (buf[off + (i - start)] != node.data[i - ns]) {
                    table.overlapConflictBytes++;
                }
            }
            dup += oe - cur;
            cur = oe;
            prev = node;
            node = node.next;
        }
        if (cur < end) {
            link(prev, node, cur, buf, off + (cur - start), end - cur);
        }
        if (dup == len) {
            table.retransmittedBytes += len;
        } else {
            table.overlapBytes += dup;
        }
    }

    /** Counts bytes of a segment that differ from buffered bytes at the same sequence numbers. */
    private void countConflicts(int seq, byte[] buf, int off, int len) {
        int start = seq - next;
        int end = start + len;
        for (Seg node = head; node != null; node = node.next) {
            int ns = node.seq - next;
            if (ns >= end) {
                return;
            }
            int from = Math.max(ns, start);
            int to = Math.min(ns + node.data.length, end);
            for (int i = from; i < to; i++) {
                if (buf[off + (i - start)] != node.data[i - ns]) {
                    table.overlapConflictBytes++;
                }
            }
        }
    }

    private Seg link(Seg prev, Seg before, int relStart, byte[] buf, int off, int n) {
        byte[] copy = new byte[n];
        System.arraycopy(buf, off, copy, 0, n);
        Seg s = new Seg(next + relStart, copy);
        s.next = before;
        if (prev == null) {
            head = s;
        } else {
            prev.next = s;
        }
        segCount++;
        buffered += n;
        table.bufferedBytes += n;
        return s;
    }
}
