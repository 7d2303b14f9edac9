package io.mcpwarden.policy.internal;

import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.facts.Subject;
import io.mcpwarden.policy.facts.Verdict;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table of decisions per event key: fingerprints, validity, growth and the bound. */
class KnownTableTest {
    private static final long FAR = Long.MAX_VALUE / 2;

    private static PolicyImpl.Known known(String endpoint, boolean verdicts) {
        return new PolicyImpl.Known(endpoint, "dns",
                verdicts ? List.of(Verdict.alert("r", "low", endpoint)) : List.of());
    }

    private static Fingerprint dns(String name) {
        return KnownTable.key(KeyedDecisionsTest.dns("10.0.0.1", name));
    }

    @Test
    void fingerprintsOfDistinctKeysDiffer() {
        Set<Fingerprint> seen = new HashSet<>();
        Set<Integer> lowBits = new HashSet<>();
        for (String client : List.of("10.0.0.1", "10.0.0.2", "fd00::1")) {
            for (int i = 0; i < 100_000; i++) {
                Fingerprint f = KnownTable.key(KeyedDecisionsTest.dns(client, "n" + i + ".test"));
                assertTrue(seen.add(f), "fingerprint repeated at " + client + " n" + i);
                lowBits.add((int) f.a() & 0xffff);
            }
        }
        // 300,000 uniform values leave about 65,536·e^-4.58 ≈ 670 of 65,536 buckets empty
        assertTrue(lowBits.size() > 64_000, "the table index bits spread: " + lowBits.size());
        assertEquals(dns("x.test"), dns("x.test"));
        assertNotEquals(KnownTable.key(KeyedDecisionsTest.http("10.0.0.1", "x.test", 80, "")),
                KnownTable.key(KeyedDecisionsTest.tls("10.0.0.1", "x.test", "192.0.2.1", 80)));
    }

    @Test
    void aDecisionIsValidWithinItsTtlAndEpoch() {
        KnownTable t = new KnownTable(1000);
        Fingerprint k = dns("x.test");
        assertNull(t.get(k, 0, 0));
        PolicyImpl.Known withVerdicts = known("x.test", true);
        t.put(k, withVerdicts, 1_000, 3);
        assertSame(withVerdicts, t.get(k, 3, 999));
        assertNull(t.get(k, 3, 1_000), "expired");
        assertNull(t.get(k, 4, 0), "another first-sight epoch");
        t.put(k, known("x.test", false), 2_000, 4);
        assertSame(KnownTable.NO_VERDICTS, t.get(k, 4, 1_500), "replaced; no verdicts");
        assertEquals(1, t.size());
    }

    @Test
    void growsThenEmptiesAtItsBound() {
        KnownTable t = new KnownTable(50_000);
        int start = t.capacity();
        for (int i = 0; i < 50_000; i++) {
            t.put(dns("n" + i + ".test"), known("n" + i + ".test", i % 2 == 0), FAR, 0);
        }
        assertEquals(50_000, t.size());
        assertTrue(t.capacity() >= 100_000, "at most half full: " + t.capacity());
        for (int i = 0; i < 50_000; i++) {
            PolicyImpl.Known k = t.get(dns("n" + i + ".test"), 0, 0);
            if (i % 2 == 0) {
                assertEquals("n" + i + ".test", k.endpoint());
            } else {
                assertSame(KnownTable.NO_VERDICTS, k);
            }
        }
        t.put(dns("one-more.test"), known("one-more.test", true), FAR, 0);
        assertEquals(1, t.size(), "full: emptied, then the new entry");
        assertEquals(start, t.capacity());
        assertNull(t.get(dns("n0.test"), 0, 0));
    }

    @Test
    void aSubjectFingerprintCoversEveryField() throws Exception {
        java.lang.reflect.RecordComponent[] rc = Subject.class.getRecordComponents();
        Class<?>[] types = java.util.Arrays.stream(rc).map(java.lang.reflect.RecordComponent::getType)
                .toArray(Class<?>[]::new);
        var ctor = Subject.class.getDeclaredConstructor(types);
        Object[] base = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) {
            base[i] = types[i] == String.class ? "v" + i : types[i] == int.class ? (Object) i : (Object) false;
        }
        Fingerprint b = KnownTable.key((Subject) ctor.newInstance(base));
        assertEquals(b, KnownTable.key((Subject) ctor.newInstance(base.clone())), "equal subjects, equal keys");
        Set<Fingerprint> keys = new HashSet<>(List.of(b));
        for (int i = 0; i < rc.length; i++) {
            Object[] other = base.clone();
            other[i] = types[i] == String.class ? "w" + i : types[i] == int.class ? (Object) (i + 1000)
                    : (Object) true;
            assertTrue(keys.add(KnownTable.key((Subject) ctor.newInstance(other))),
                    "the key tells subjects apart by " + rc[i].getName());
        }
        // strings that run into each other are told apart
        Object[] x = base.clone();
        Object[] y = base.clone();
        x[1] = "ab";
        x[3] = "c";
        y[1] = "a";
        y[3] = "bc";
        assertNotEquals(KnownTable.key((Subject) ctor.newInstance(x)), KnownTable.key((Subject) ctor.newInstance(y)));
    }
}
