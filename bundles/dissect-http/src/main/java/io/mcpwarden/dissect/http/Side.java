package io.mcpwarden.dissect.http;

/** Which direction of an HTTP/1.x connection a {@link HttpStreamParser} reads. */
public enum Side {
    /** Client to server: request messages (RFC 9112 §3). */
    REQUEST,
    /** Server to client: response messages (RFC 9112 §4). */
    RESPONSE
}
