/** Drools policy engine: DRL rule sets, registry of approved MCP servers, verdicts. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.mcpwarden.policy;
