package io.mcpwarden.policy.internal;

import io.mcpwarden.model.DnsEvent;
import io.mcpwarden.model.FlowRef;
import io.mcpwarden.model.HttpEvent;
import io.mcpwarden.model.McpEvent;
import io.mcpwarden.model.TlsEvent;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.policy.facts.ProtocolRevisions;
import io.mcpwarden.policy.facts.Subject;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Computes the {@link Subject} of an event in Java (registry match, look-alike, first sight, name tokens). */
final class Subjects {
    static final int FIRST_SIGHT_MAX = PolicyImpl.CACHE_MAX;

    static final int NAME_FACTS_MAX = PolicyImpl.CACHE_MAX;

    /** The endpoints seen, per event type, by fingerprint (at most {@link #FIRST_SIGHT_MAX}). */
    private final FingerprintTable<Void> seen = new FingerprintTable<>(FIRST_SIGHT_MAX);
    /** Counts the times {@link #seen} was emptied: an endpoint seen before may be a first sight again after. */
    private final AtomicInteger seenEpoch = new AtomicInteger();
    /**
     * Name-derived facts per host, by fingerprint, for the registry they were computed against: word 0 whether
     * the name has an mcp token, the object the registered name it imitates (null for none).
     */
    private final FingerprintTable<String> names = new FingerprintTable<>(NAME_FACTS_MAX);
    private RegistryImpl namesRegistry;

    private record NameFacts(String lookalike, boolean mcpToken) {
    }

    private NameFacts nameFacts(String host, RegistryImpl registry) {
        Fingerprint k = Fingerprint.of('n', host);
        synchronized (names) {
            if (namesRegistry != registry) {
                names.clear();
                namesRegistry = registry;
            }
            int i = names.find(k);
            if (i >= 0) {
                String l = names.value(i);
                return new NameFacts(l == null ? "" : l, names.word(i, 0) != 0);
            }
        }
        NameFacts f = new NameFacts(registry.lookalikeOfNormalised(host), hasMcpToken(host));
        synchronized (names) {
            if (namesRegistry == registry) {
                names.put(k, f.mcpToken() ? 1 : 0, 0, f.lookalike().isEmpty() ? null : f.lookalike());
            }
        }
        return f;
    }

    /** True for the events that have a subject: MCP, DNS queries, TLS and HTTP. */
    static boolean judged(WardenEvent event) {
        return event instanceof DnsEvent d ? "query".equals(d.type())
                : event instanceof TlsEvent || event instanceof HttpEvent || event instanceof McpEvent;
    }

    /**
     * Changes whenever the first-sight memory is emptied. A subject computed under one epoch keeps
     * {@code firstSight == false} for as long as the epoch stays the same.
     */
    int firstSightEpoch() {
        return seenEpoch.get();
    }

    /** The subject, or null for events that are not judged (flow, verdict, rules, DNS answers). */
    Subject of(WardenEvent event, RegistryImpl registry) {
        FlowRef f = event.flow();
        String clientIp = f == null || f.srcIp() == null ? "" : f.srcIp();
        if (event instanceof McpEvent m) {
            String ep = m.endpoint() == null ? "" : m.endpoint();
            int slash = ep.indexOf('/');
            String hostPort = slash < 0 ? ep : ep.substring(0, slash);
            String path = slash < 0 ? "" : HostPattern.normalisePath(ep.substring(slash));
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? (f == null ? 0 : f.destPort()) : parsePort(hostPort.substring(colon + 1));
            if (host.isEmpty() && m.sni() != null) {
                host = m.sni();
            }
            if (host.isEmpty() && f != null) {
                host = f.destIp();
            }
            host = HostPattern.normaliseHost(host);
            String pv = m.protocolVersion() != null ? m.protocolVersion()
                    : m.clientProtocolVersion() == null ? "" : m.clientProtocolVersion();
            String client = m.clientName() == null ? "" : m.clientName();
            String endpoint = host + ":" + port + (path.isEmpty() ? "/" : path);
            // inside TLS the path is not seen: compare host and port only
            String matchPath = m.encrypted() ? null : path;
            Optional<RegistryImpl.Entry> entry = registry.matchNormalised(host, port, matchPath);
            if (entry.isEmpty() && m.sni() != null && !m.sni().isEmpty()) {
                entry = registry.matchEntry(m.sni(), port, matchPath);
            }
            String destIp = f == null ? "" : f.destIp();
            boolean terms = entry.map(e -> termsHold(e, pv, client, destIp)).orElse(true);
            return subject("mcp", host, port, path, endpoint, entry, terms, registry, m.encrypted(), pv, client,
                    clientIp);
        }
        if (event instanceof TlsEvent t) {
            String host = HostPattern.normaliseHost(t.sni() != null && !t.sni().isEmpty() ? t.sni()
                    : f == null ? "" : f.destIp());
            int port = f == null ? 0 : f.destPort();
            return subject("tls", host, port, "", host + ":" + port, registry.matchNormalised(host, port, null), true,
                    registry, true, "", "", clientIp);
        }
        if (event instanceof HttpEvent h) {
            String host = HostPattern.normaliseHost(h.hostname());
            String path = HostPattern.normalisePath(h.url() == null ? "" : h.url());
            int port = h.httpPort();
            return subject("http", host, port, path, host + ":" + port + (path.isEmpty() ? "/" : path),
                    registry.matchNormalised(host, port, path), true, registry, false, "", "", clientIp);
        }
        if (event instanceof DnsEvent d && "query".equals(d.type())) {
            String host = HostPattern.normaliseHost(d.rrname());
            return subject("dns", host, 0, "", host, registry.matchNormalised(host, 0, null), true, registry, false,
                    "", "", clientIp);
        }
        return null;
    }

    private Subject subject(String type, String host, int port, String path, String endpoint,
                            Optional<RegistryImpl.Entry> entry, boolean terms, RegistryImpl registry,
                            boolean encrypted, String pv, String client, String clientIp) {
        boolean registered = entry.isPresent();
        NameFacts facts = nameFacts(host, registry);
        String lookalike = registered ? "" : facts.lookalike();
        return new Subject(type, host, port, path, endpoint, registered,
                entry.map(e -> e.server().name()).orElse(""), terms, lookalike, firstSight(type, endpoint),
                encrypted, facts.mcpToken(), pv, ProtocolRevisions.deprecated(pv), client, clientIp);
    }

    private boolean firstSight(String type, String endpoint) {
        Fingerprint k = Fingerprint.of('s', type, endpoint);
        synchronized (seen) {
            if (seen.find(k) >= 0) {
                return false;
            }
            if (seen.put(k, 0, 0, null)) { // it was full and emptied first
                seenEpoch.incrementAndGet();
            }
            return true;
        }
    }

    private static boolean termsHold(RegistryImpl.Entry e, String pv, String client, String destIp) {
        var s = e.server();
        if (!s.protocolVersions().isEmpty() && !pv.isEmpty() && !s.protocolVersions().contains(pv)) {
            return false;
        }
        if (!s.clients().isEmpty() && !client.isEmpty() && !s.clients().contains(client)) {
            return false;
        }
        if (!e.ranges().isEmpty() && destIp != null && !destIp.isEmpty()) {
            return e.ranges().stream().anyMatch(c -> c.contains(destIp));
        }
        return true;
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A label of the host, split on '.' and '-', is "mcp" or starts or ends with "mcp". */
    static boolean hasMcpToken(String host) {
        if (RegistryImpl.isAddress(host)) {
            return false;
        }
        int start = 0;
        for (int i = 0, n = host.length(); i <= n; i++) {
            char c = i < n ? host.charAt(i) : '.';
            if (c == '.' || c == '-' || c == '_') {
                if (host.startsWith("mcp", start) || i - start >= 3 && host.startsWith("mcp", i - 3)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
