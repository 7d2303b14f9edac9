package io.mcpwarden.siem.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class TailTest {
    /**
     * Records of varying length, many more than fit: the tail holds the newest ones whose payload bytes stay
     * within the bound (the oldest forgotten first, by their own lengths), and hands them out with their places.
     */
    @Test
    void keepsTheNewestRecordsWithinTheByteBound() {
        long max = 10_000;
        Tail t = new Tail(max);
        List<byte[]> all = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        long off = 0;
        for (int i = 0; i < 5000; i++) { // grows the ring past its initial 1024 slots on the way
            byte[] p = new byte[1 + (i * 37) % 300];
            all.add(p);
            offsets.add(off);
            t.add(7, off, 100 + i, p);
            off += Spool.HEADER + p.length;
        }
        int kept = 0;
        long bytes = 0;
        for (int i = all.size() - 1; i >= 0 && bytes + all.get(i).length <= max; i--) {
            bytes += all.get(i).length;
            kept++;
        }
        assertEquals(kept, t.size());
        int first = all.size() - kept;
        assertNull(t.take(new Spool.Pos(7, offsets.get(first - 1), 100 + first - 1), 1 << 20, new ArrayList<>()),
                "forgotten");
        List<byte[]> out = new ArrayList<>();
        Spool.Pos end = t.take(new Spool.Pos(7, offsets.get(first), 100 + first), 1 << 20, out);
        assertEquals(kept, out.size());
        for (int k = 0; k < kept; k++) {
            assertSame(all.get(first + k), out.get(k));
        }
        assertEquals(new Spool.Pos(7, off, 100 + all.size()), end);

        out.clear(); // bounded by bytes: stops once maxBytes is reached, at least one record
        Spool.Pos mid = t.take(new Spool.Pos(7, offsets.get(first), 100 + first), 1, out);
        assertEquals(1, out.size());
        assertEquals(new Spool.Pos(7, offsets.get(first + 1), 100 + first + 1), mid);
    }
}
