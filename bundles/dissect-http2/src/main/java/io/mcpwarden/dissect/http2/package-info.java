/**
 * HTTP/2 dissector (RFC 9113): frames of both directions of one connection, header blocks decoded with
 * Netty's HPACK decoder (RFC 7541, embedded privately), reported per stream to an
 * {@link io.mcpwarden.dissect.http2.Http2Listener}. Entry point: {@link io.mcpwarden.dissect.http2.Http2Connection}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.mcpwarden.dissect.http2;
