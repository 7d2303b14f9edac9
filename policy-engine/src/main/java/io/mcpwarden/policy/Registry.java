package io.mcpwarden.policy;

import org.osgi.annotation.versioning.ProviderType;

import java.util.List;
import java.util.Optional;

/**
 * The registry of approved MCP servers (the "server portal"). Matching is done in Java: exact hosts through a
 * hash map, wildcard hosts ({@code *.example.test}) through a map of domain suffixes walked label by label.
 */
@ProviderType
public interface Registry {

    /**
     * The first registered server (in file order) whose endpoint pattern matches.
     *
     * @param host a host name or address (case-insensitive, a trailing dot is ignored)
     * @param port the port, or 0 when unknown (then only the host is compared)
     * @param path the request path, or null when unknown (then only host and port are compared)
     */
    Optional<RegisteredServer> match(String host, int port, String path);

    /**
     * The name of a registered server whose host this host imitates (a look-alike), empty when none or when the
     * host itself is registered. See {@code detection-rules/README.md} for the algorithm.
     */
    Optional<String> lookalikeOf(String host);

    /** Every server, in file order. */
    List<RegisteredServer> servers();

    /** First 12 hex digits of SHA-256 over the registry file ("" for the empty registry). */
    String hash();
}
