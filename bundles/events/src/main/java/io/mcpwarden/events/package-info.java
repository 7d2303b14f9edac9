/** Where events go: the {@link io.mcpwarden.events.EventSink} API and the EVE JSON writer. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.mcpwarden.events;
