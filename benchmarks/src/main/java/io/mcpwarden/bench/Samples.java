package io.mcpwarden.bench;

import io.mcpwarden.capture.CaptureFiles;
import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.capture.PacketSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Inputs for the benchmarks: protocol messages built here, and a corpus capture held in memory. */
final class Samples {
    static final Path SHARED = Path.of(System.getProperty("warden.shared", "../shared"));

    /** The first TCP or UDP payload of a corpus capture that satisfies {@code test}. */
    static byte[] firstPayload(String capture, java.util.function.Predicate<byte[]> test) throws IOException {
        io.mcpwarden.capture.PacketDecoder dec = new io.mcpwarden.capture.PacketDecoder();
        io.mcpwarden.capture.DecodedPacket p = new io.mcpwarden.capture.DecodedPacket();
        try (PacketSource src = CaptureFiles.open(corpus(capture))) {
            PacketRecord r = new PacketRecord();
            while (src.next(r)) {
                if (dec.decode(r, p) && p.payloadLength > 0) {
                    byte[] b = java.util.Arrays.copyOfRange(p.payload, p.payloadOffset, p.payloadOffset + p.payloadLength);
                    if (test.test(b)) {
                        return b;
                    }
                }
            }
        }
        throw new IOException("no matching payload in " + capture);
    }

    static final byte[] INITIALIZE = ("{\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
            + "\"capabilities\":{\"sampling\":{},\"elicitation\":{},\"roots\":{\"listChanged\":true}},"
            + "\"clientInfo\":{\"name\":\"bench-client\",\"version\":\"1.0.0\"}},\"jsonrpc\":\"2.0\",\"id\":0}")
            .getBytes(StandardCharsets.UTF_8);

    static final byte[] HTTP_EXCHANGE_REQUEST = ("POST /mcp HTTP/1.1\r\nhost: api.example.test:3001\r\n"
            + "content-type: application/json\r\naccept: application/json, text/event-stream\r\n"
            + "user-agent: node\r\ncontent-length: " + INITIALIZE.length + "\r\n\r\n"
            + new String(INITIALIZE, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

    static final byte[] HTTP_EXCHANGE_RESPONSE = ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            + "mcp-session-id: 0f4c8a9e-1b2c-4d5e-8f90-123456789abc\r\ntransfer-encoding: chunked\r\n\r\n"
            + "a1\r\nevent: message\ndata: {\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":"
            + "{\"tools\":{}},\"serverInfo\":{\"name\":\"bench\",\"version\":\"1\"}},\"jsonrpc\":\"2.0\",\"id\":0}\n\n\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);

    /** Every record of a capture, copied, with its timestamp and link type, for replay from memory. */
    record Frame(long tsNanos, int linkType, byte[] data) {
    }

    static List<Frame> load(Path pcap) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (PacketSource src = CaptureFiles.open(pcap)) {
            PacketRecord r = new PacketRecord();
            while (src.next(r)) {
                byte[] d = new byte[r.caplen];
                System.arraycopy(r.data, r.offset, d, 0, r.caplen);
                out.add(new Frame(r.tsNanos, r.linkType, d));
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no packets in " + pcap);
        }
        return out;
    }

    static Path corpus(String name) {
        Path p = SHARED.resolve("corpus/mcp").resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException("corpus capture not found: " + p + " (set -Dwarden.shared=DIR)");
        }
        return p;
    }

    private Samples() {
    }
}
