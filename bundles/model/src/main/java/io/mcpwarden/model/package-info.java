/**
 * The fact model of MCP Warden: immutable records for flows and for DNS, TLS, HTTP, MCP and flow events.
 * Dissectors produce these, the event writer serialises them, rules and bundles consume them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.mcpwarden.model;
