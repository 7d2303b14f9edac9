package io.mcpwarden.pipeline.internal;

import io.mcpwarden.dissect.dns.DnsTcpFramer;
import io.mcpwarden.dissect.http.HttpStreamParser;
import io.mcpwarden.dissect.tls.ClientHello;
import io.mcpwarden.dissect.tls.ServerHello;
import io.mcpwarden.dissect.tls.TlsDirectionDissector;
import io.mcpwarden.tls.decrypt.TlsDecryptor;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;

/** Per-flow dissection state, kept in {@link io.mcpwarden.flow.Flow#attachment()}. */
final class TcpState {
    /** Bytes held back while the first bytes of a flow are too few to tell its protocol. */
    static final int SNIFF_BYTES = 16;

    enum Mode { UNKNOWN, HTTP, H2, TLS, DNS, OTHER }

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

    // HTTP/2 (cleartext with prior knowledge, or inside decrypted TLS)
    io.mcpwarden.dissect.http2.Http2Connection h2;
    Http2Streams h2Streams;

    // TLS
    TlsDirectionDissector tlsClient;
    TlsDirectionDissector tlsServer;
    ClientHello clientHello;
    ServerHello serverHello;
    long clientHelloMicros;
    boolean tlsReported;
    /** Key log decryption of this TLS flow (null without a key log). */
    TlsDecryptor decryptor;
    /** The tls event waits for the server's ALPN choice from the encrypted handshake. */
    boolean tlsPending;
    long tlsPendingMicros;
    boolean alpnKnown;
    String alpnSelected;
    /** What the decrypted application data carries. */
    Mode inner = Mode.UNKNOWN;

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
