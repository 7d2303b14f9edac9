/** Syslog (RFC 5424, CEF) export over UDP, TCP and TLS with a durable spool. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.mcpwarden.siem;
