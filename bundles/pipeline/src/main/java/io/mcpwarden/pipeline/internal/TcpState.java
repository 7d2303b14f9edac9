package io.mcpwarden.pipeline.internal;

import io.mcpwarden.dissect.dns.DnsTcpFramer;
import io.mcpwarden.dissect.http.HttpStreamParser;
import io.mcpwarden.dissect.tls.ClientHello;
import io.mcpwarden.dissect.tls.ServerHello;
import io.mcpwarden.dissect.tls.TlsDirectionDissector;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;

/** Per-flow dissection state, kept in {@link io.mcpwarden.flow.Flow#attachment()}. */
final class TcpState {
    /** Bytes held back while the first bytes of a flow are too few to tell its protocol. */
    static final int SNIFF_BYTES = 16;

    enum Mode { UNKNOWN, HTTP, TLS, DNS, OTHER }

    Mode mode = Mode.UNKNOWN;
    byte[] sniff;
    int sniffLen;
    String appProto;

    // HTTP
    HttpStreamParser requests;
    HttpStreamParser responses;
    final ArrayDeque<HttpExchange> awaiting = new ArrayDeque<>();
    HttpExchange currentRequest;
    HttpExchange currentResponse;
    LinkedHashSet<String> mcpMethods;

    // TLS
    TlsDirectionDissector tlsClient;
    TlsDirectionDissector tlsServer;
    ClientHello clientHello;
    ServerHello serverHello;
    long clientHelloMicros;
    boolean tlsReported;

    // DNS over TCP
    DnsTcpFramer dnsClient;
    DnsTcpFramer dnsServer;

    void addMethod(String method) {
        if (mcpMethods == null) {
            mcpMethods = new LinkedHashSet<>();
        }
        if (mcpMethods.size() < McpTracker.MAX_METHODS) {
            mcpMethods.add(method);
        }
    }
}
