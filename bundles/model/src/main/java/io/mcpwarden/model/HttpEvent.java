package io.mcpwarden.model;

/**
 * One HTTP/1.x request and its response.
 *
 * @param hostname    Host header without port (falls back to the destination address)
 * @param httpPort    port from the Host header, else the destination port
 * @param url         request target as sent
 * @param method      request method
 * @param protocol    {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param userAgent   User-Agent header, null when absent
 * @param contentType response Content-Type, null when absent or no response
 * @param status      response status, null when no response was seen
 * @param length      response body bytes seen
 */
public record HttpEvent(long tsMicros, FlowRef flow, String hostname, int httpPort, String url, String method,
                        String protocol, String userAgent, String contentType, Integer status, long length)
        implements WardenEvent {
    @Override
    public String eventType() {
        return "http";
    }
}
