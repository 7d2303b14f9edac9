/** The inspection pipeline service: a packet source in, events out. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.mcpwarden.pipeline;
