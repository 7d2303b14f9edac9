/** Flow table, TCP reassembly and Community ID: turns decoded packets into ordered per-direction byte streams. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.mcpwarden.flow;
