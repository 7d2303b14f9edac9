package io.mcpwarden.policy;

import java.util.List;

/**
 * The result of reading a registry file without using it.
 *
 * @param ok      true when the file parsed and every entry is valid
 * @param servers the servers it defines (empty when not ok)
 * @param hash    first 12 hex digits of SHA-256 over the file's content
 * @param errors  errors with line and column
 */
public record RegistryCheck(boolean ok, List<RegisteredServer> servers, String hash, List<RuleError> errors) {
    public RegistryCheck {
        servers = servers == null ? List.of() : List.copyOf(servers);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
