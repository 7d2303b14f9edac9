/**
 * Incremental HTTP/1.x dissection for one direction of a reassembled TCP stream.
 *
 * <p>{@link io.mcpwarden.dissect.http.HttpStreamParser} turns arbitrary byte slices into message
 * heads, decoded body bytes, Server-Sent Events and message ends, reported to an
 * {@link io.mcpwarden.dissect.http.HttpListener}. {@link io.mcpwarden.dissect.http.HttpDetect}
 * recognises HTTP/1.x by content. Wire syntax: RFC 9112 (HTTP/1.1), RFC 9110 (semantics),
 * WHATWG HTML §9.2 (event streams). Anomaly names are listed in
 * {@link io.mcpwarden.dissect.http.HttpAnomalies}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.mcpwarden.dissect.http;
