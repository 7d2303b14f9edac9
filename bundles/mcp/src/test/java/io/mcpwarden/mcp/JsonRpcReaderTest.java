package io.mcpwarden.mcp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class JsonRpcReaderTest {
    static final Path SCHEMA = Path.of(System.getProperty("warden.shared", "/work/shared"), "corpus", "mcp-schema");

    @Test
    void initializeWithJsonrpcLastIsRecognised() {
        RpcParse p = JsonRpcReader.read("{\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{\"sampling\":{},\"roots\":{\"listChanged\":true}},"
                + "\"clientInfo\":{\"name\":\"c\",\"version\":\"1.0.0\"}},\"jsonrpc\":\"2.0\",\"id\":0}");
        assertNull(p.anomaly());
        RpcMessage m = p.messages().get(0);
        assertEquals(RpcMessage.Kind.REQUEST, m.kind());
        assertEquals("0", m.id());
        assertEquals("c", m.peerName());
        assertEquals("1.0.0", m.peerVersion());
        assertEquals(List.of("sampling", "roots"), m.capabilities());
        assertTrue(McpSemantics.isInitializeRequest(m));
    }

    @Test
    void byteOrderMarkBeforeTheBodyIsTolerated() {
        byte[] body = ("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-03-26\",\"capabilities\":{},\"clientInfo\":{\"name\":\"b\",\"version\":\"1\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(JsonRpcReader.looksLikeJson(body, 0, body.length));
        RpcParse p = JsonRpcReader.read(body, 0, body.length);
        assertNull(p.anomaly());
        assertTrue(McpSemantics.isInitializeRequest(p.messages().get(0)));
    }

    @Test
    void lspInitializeIsNotMcp() {
        RpcMessage m = JsonRpcReader.read("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"processId\":42,\"rootUri\":\"file:///w\",\"capabilities\":{},\"clientInfo\":{\"name\":\"vscode\"}}}")
                .messages().get(0);
        assertEquals(List.of("processId", "rootUri"), m.lspMarkers());
        assertFalse(McpSemantics.isInitializeRequest(m));
    }

    @Test
    void initializeWithoutDateVersionIsNotMcp() {
        RpcMessage m = JsonRpcReader.read("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"1.0\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\"}}}").messages().get(0);
        assertFalse(McpSemantics.isInitializeRequest(m));
    }

    @Test
    void batchOfEthereumCallsIsJsonRpcButNotMcp() {
        RpcParse p = JsonRpcReader.read("[{\"jsonrpc\":\"2.0\",\"method\":\"eth_gasPrice\",\"params\":[],\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"net_version\",\"params\":[],\"id\":2}]");
        assertTrue(p.batch());
        assertEquals(2, p.messages().size());
        assertFalse(McpSemantics.isMcpMethod(p.messages().get(0).method()));
        assertFalse(McpSemantics.isInitializeRequest(p.messages().get(0)));
    }

    @Test
    void notJsonRpc() {
        assertEquals("json.not_jsonrpc", JsonRpcReader.read("{\"choices\":[{\"delta\":{}}]}").anomaly());
        assertEquals("json.not_json", JsonRpcReader.read("[DONE]x".substring(1)).anomaly());
        assertEquals("json.malformed", JsonRpcReader.read("{\"jsonrpc\":\"2.0\",]").anomaly());
    }

    @Test
    void discoverExampleFromTheSpecification() throws IOException {
        Path req = SCHEMA.resolve("2026-07-28/examples/DiscoverRequest/server-discover-request.json");
        Path res = SCHEMA.resolve("2026-07-28/examples/DiscoverResultResponse/discover-result-response.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(req), "schema examples not present");
        RpcMessage q = JsonRpcReader.read(Files.readString(req)).messages().get(0);
        assertTrue(McpSemantics.isDiscoverRequest(q, null));
        assertEquals("ExampleClient", q.metaPeerName());
        assertEquals("2026-07-28", q.metaProtocolVersion());
        RpcMessage r = JsonRpcReader.read(Files.readString(res)).messages().get(0);
        assertTrue(McpSemantics.isDiscoverResult(r));
        assertEquals("ExampleServer", r.metaPeerName());
        assertEquals("complete", r.resultType());
        assertEquals(List.of("tools", "resources"), r.capabilities());
    }

    @Test
    void everySpecificationExampleMessageParsesAsJsonRpcAndMethodsAreMcp() throws IOException {
        Path ex = SCHEMA.resolve("2026-07-28/examples");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(ex), "schema examples not present");
        int messages = 0;
        try (Stream<Path> files = Files.walk(ex)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".json"))::iterator) {
                String text = Files.readString(f);
                if (!text.contains("\"jsonrpc\"")) {
                    continue;
                }
                RpcParse p = JsonRpcReader.read(text);
                assertNull(p.anomaly(), f.toString());
                RpcMessage m = p.messages().get(0);
                if (m.method() != null) {
                    assertTrue(McpSemantics.isMcpMethod(m.method()), f + ": " + m.method());
                }
                messages++;
            }
        }
        assertTrue(messages >= 20, "examples read: " + messages);
    }

    @Test
    void versionNegotiationError() {
        RpcMessage m = JsonRpcReader.read("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32022,\"message\":\"x\","
                + "\"data\":{\"supported\":[\"2026-07-28\",\"2025-11-25\"],\"requested\":\"1900-01-01\"}}}").messages().get(0);
        assertTrue(McpSemantics.isVersionError(m));
        assertEquals(-32022, m.errorCode());
    }

    @Test
    void neverThrowsOnTruncationOrBitFlips() {
        byte[] good = ("{\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"n\",\"version\":\"v\"},\"_meta\":{\"a\":[1,2,{\"b\":null}]}},"
                + "\"jsonrpc\":\"2.0\",\"id\":\"x\"}").getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n <= good.length; n++) {
            assertNotNull(JsonRpcReader.read(good, 0, n));
        }
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 3; k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            assertNotNull(JsonRpcReader.read(b, 0, b.length));
        }
        byte[] deep = "[".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        assertEquals("json.malformed", JsonRpcReader.read(deep, 0, deep.length).anomaly());
    }
}
