package io.mcpwarden.policy.internal;

import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.facts.Subject;

import java.util.List;

/**
 * Decisions by fingerprint. Two per rule-set state: one keyed by the name fields of DNS query, TLS and HTTP
 * events (their {@link #key(WardenEvent) key}), which lets a repeated name be judged without computing its
 * subject; one keyed by the whole {@link #key(Subject) subject}, the decision per (endpoint, client) that another
 * spelling of a name, and an MCP event, find.
 *
 * <p>Built for the per-event path, which is memory-bound while the pipeline streams packets through the caches:
 * the key is a {@link Fingerprint} hashed straight from the event's strings, and in the {@link FingerprintTable}
 * an entry's fingerprint, expiry and first-sight epoch lie side by side, so a lookup usually reads one cache line;
 * the decision object is read only when it has verdicts. Emptied as a whole when it holds {@code max} entries.
 * Thread-safe by one monitor: the events of a run are judged on one thread, so it is uncontended.
 */
final class KnownTable {
    /** What {@link #get} answers for a valid decision without verdicts. */
    static final PolicyImpl.Known NO_VERDICTS = new PolicyImpl.Known("", "", List.of());

    /** Per key: word 0 the expiry (nanoTime), word 1 the first-sight epoch << 1 | has verdicts. */
    private final FingerprintTable<PolicyImpl.Known> table;

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
        // each branch finishes its own hasher (see Fingerprint.Hasher)
        if (event instanceof DnsEvent d) {
            if (!"query".equals(d.type()) || d.rrname() == null) {
                return null;
            }
            return new Fingerprint.Hasher('d').add(f.srcIp()).add(d.rrname()).done();
        }
        if (event instanceof TlsEvent t) {
            String host = t.sni() != null && !t.sni().isEmpty() ? t.sni() : f.destIp();
            return host == null ? null
                    : new Fingerprint.Hasher('t').add(f.destPort()).add(f.srcIp()).add(host).done();
        }
        if (event instanceof HttpEvent ht) {
            String host = ht.hostname();
            return host == null ? null : new Fingerprint.Hasher('h').add(ht.httpPort()).add(f.srcIp()).add(host)
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
        int i = table.find(key);
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
        int i = table.find(key);
        return i < 0 ? nowNanos : table.word(i, 0);
    }

    /**
     * Remembers {@code known} under {@code key}, replacing what was there, valid until {@code expiresNanos} (in
     * {@link System#nanoTime} terms) within first-sight epoch {@code epoch}.
     */
    synchronized void put(Fingerprint key, PolicyImpl.Known known, long expiresNanos, int epoch) {
        boolean verdicts = !known.verdicts().isEmpty();
        table.put(key, expiresNanos, ((long) epoch << 1) | (verdicts ? 1 : 0), verdicts ? known : null);
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
        return new Fingerprint.Hasher('S').add(s.eventType()).add(s.host()).add(s.path()).add(s.endpoint())
                .add(s.registryName()).add(s.lookalikeOf()).add(s.protocolVersion()).add(s.clientName())
                .add(s.clientIp()).add(s.port()).add(bits).done();
    }
}
