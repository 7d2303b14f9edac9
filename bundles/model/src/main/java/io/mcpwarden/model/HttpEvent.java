package io.mcpwarden.model;

/**
 * One HTTP request and its response (HTTP/1.x, or one HTTP/2 stream).
 *
 * @param hostname    Host header without port (falls back to the destination address)
 * @param httpPort    port from the Host header, else the destination port
 * @param url         request target as sent
 * @param method      request method
 * @param protocol    {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}
 * @param userAgent   User-Agent header, null when absent
 * @param contentType response Content-Type, null when absent or no response
 * @param status      response status, null when no response was seen
 * @param length      response body bytes seen
 * @param decrypted   true when the exchange was read from TLS decrypted with a key log
 */
public record HttpEvent(long tsMicros, FlowRef flow, String hostname, int httpPort, String url, String method,
                        String protocol, String userAgent, String contentType, Integer status, long length,
                        boolean decrypted)
        implements WardenEvent {

    /** An exchange seen in the clear. */
    public HttpEvent(long tsMicros, FlowRef flow, String hostname, int httpPort, String url, String method,
                     String protocol, String userAgent, String contentType, Integer status, long length) {
        this(tsMicros, flow, hostname, httpPort, url, method, protocol, userAgent, contentType, status, length, false);
    }
    @Override
    public String eventType() {
        return "http";
    }
}
