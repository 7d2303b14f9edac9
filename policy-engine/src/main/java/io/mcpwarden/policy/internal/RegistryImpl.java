package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.RegisteredServer;
import io.mcpwarden.policy.Registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable registry index: exact hosts in a hash map, wildcard patterns in a map keyed by the domain suffix they
 * cover; a lookup walks the host's suffixes label by label (at most one map probe per label).
 */
final class RegistryImpl implements Registry {
    static final RegistryImpl EMPTY = new RegistryImpl(List.of(), List.of(), "");

    /** One server with its parsed patterns and address ranges. */
    record Entry(int index, RegisteredServer server, List<HostPattern> patterns, List<Cidr> ranges) {
    }

    private final List<RegisteredServer> servers;
    private final List<Entry> entries;
    private final Map<String, List<Entry>> exact = new HashMap<>();
    private final Map<String, List<Entry>> wildcard = new HashMap<>();
    /** The lengths of the wildcard suffixes, so that a lookup tries only the suffixes of those lengths. */
    private final java.util.BitSet wildcardLengths = new java.util.BitSet();
    private final String hash;
    /** Per entry, in order: the look-alike targets of its host patterns. */
    private final List<List<Lookalike.Target>> targets = new ArrayList<>();

    RegistryImpl(List<RegisteredServer> servers, List<Entry> entries, String hash) {
        this.servers = List.copyOf(servers);
        this.entries = List.copyOf(entries);
        this.hash = hash;
        for (Entry e : entries) {
            for (HostPattern p : e.patterns()) {
                (p.wildcard() ? wildcard : exact).computeIfAbsent(p.host(), k -> new ArrayList<>()).add(e);
                if (p.wildcard()) {
                    wildcardLengths.set(p.host().length());
                }
            }
            targets.add(e.patterns().stream().map(p -> Lookalike.Target.of(p.host(), !p.wildcard())).toList());
        }
    }

    @Override
    public Optional<RegisteredServer> match(String host, int port, String path) {
        return matchEntry(host, port, path).map(Entry::server);
    }

    Optional<Entry> matchEntry(String rawHost, int port, String path) {
        return matchNormalised(HostPattern.normaliseHost(rawHost), port, path);
    }

    /** {@link #matchEntry} of a host already normalised. */
    Optional<Entry> matchNormalised(String host, int port, String path) {
        if (host.isEmpty()) {
            return Optional.empty();
        }
        Entry best = null;
        best = better(best, exact.get(host), host, false, port, path);
        if (wildcard.isEmpty()) {
            return Optional.ofNullable(best);
        }
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            if (wildcardLengths.get(host.length() - dot - 1)) {
                String suffix = host.substring(dot + 1);
                best = better(best, wildcard.get(suffix), suffix, true, port, path);
            }
        }
        return Optional.ofNullable(best);
    }

    private static Entry better(Entry best, List<Entry> candidates, String key, boolean wild, int port, String path) {
        if (candidates == null) {
            return best;
        }
        for (Entry e : candidates) {
            if (best != null && best.index() <= e.index()) {
                continue;
            }
            for (HostPattern p : e.patterns()) {
                if (p.wildcard() == wild && p.host().equals(key) && p.matchesPortPath(port, path)) {
                    best = e;
                    break;
                }
            }
        }
        return best;
    }

    @Override
    public Optional<String> lookalikeOf(String rawHost) {
        String name = lookalikeOfNormalised(HostPattern.normaliseHost(rawHost));
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /**
     * {@link #lookalikeOf} of a host already normalised: the name of the first server the host imitates, or "".
     * Not cached here: the subject computation keeps it per name with the name's other facts.
     */
    String lookalikeOfNormalised(String host) {
        if (host.isEmpty() || entries.isEmpty() || isAddress(host) || matchNormalised(host, 0, null).isPresent()) {
            return "";
        }
        int i = Lookalike.firstImitated(host, targets);
        return i < 0 ? "" : entries.get(i).server().name();
    }


    static boolean isAddress(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<RegisteredServer> servers() {
        return servers;
    }

    @Override
    public String hash() {
        return hash;
    }

    @Override
    public String toString() {
        return "Registry[" + servers.size() + " servers, " + hash + "]";
    }
}
