/** Packet sources (capture files, live interfaces) and the link-to-transport decoder. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package io.mcpwarden.capture;
