package io.mcpwarden.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON-RPC 2.0 messages (a single object or a batch) with Jackson's streaming parser under
 * {@link StreamReadConstraints}, keeping only the fields MCP recognition needs and skipping the rest.
 * Never assumes key order (SDKs often put {@code jsonrpc} last). Never throws: bad input gives an anomaly.
 */
public final class JsonRpcReader {
    /** Largest JSON text read; larger bodies are cut by the caller's body cap anyway. */
    public static final int MAX_TEXT = 4 << 20;
    /** Most messages read from one batch. */
    public static final int MAX_BATCH = 256;
    /** Most capability names kept per object. */
    public static final int MAX_KEYS = 64;
    /** Longest string value kept (names, versions, ids). */
    public static final int MAX_VALUE = 512;

    static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxStringLength(MAX_TEXT)
                    .maxNumberLength(64)
                    .maxNameLength(4096)
                    .maxDocumentLength(MAX_TEXT)
                    .build())
            .build();

    private JsonRpcReader() {
    }

    /** Cheap test on the first non-blank byte: could this be a JSON object or array? */
    public static boolean looksLikeJson(byte[] buf, int off, int len) {
        int end = off + Math.min(len, 64);
        int start = off;
        if (len >= 3 && buf[off] == (byte) 0xEF && buf[off + 1] == (byte) 0xBB && buf[off + 2] == (byte) 0xBF) {
            start += 3; // UTF-8 byte-order mark (RFC 8259 §8.1)
        }
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    public static RpcParse read(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return read(b, 0, b.length);
    }

    /** Reads the JSON text in {@code buf[off, off+len)}. */
    public static RpcParse read(byte[] buf, int off, int len) {
        if (len <= 0 || !looksLikeJson(buf, off, len)) {
            return new RpcParse(List.of(), false, "json.not_json");
        }
        if (len > MAX_TEXT) {
            return new RpcParse(List.of(), false, "json.too_large");
        }
        List<RpcMessage> out = new ArrayList<>(1);
        boolean batch = false;
        try (JsonParser p = FACTORY.createParser(buf, off, len)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                batch = true;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    if (t == JsonToken.START_OBJECT && out.size() < MAX_BATCH) {
                        out.add(readMessage(p));
                    } else {
                        p.skipChildren();
                    }
                }
            } else if (t == JsonToken.START_OBJECT) {
                out.add(readMessage(p));
            }
        } catch (JsonEOFException e) {
            return new RpcParse(out, batch, "json.truncated");
        } catch (IOException | RuntimeException e) {
            return new RpcParse(out, batch, "json.malformed");
        }
        boolean any = out.stream().anyMatch(m -> m.kind() != RpcMessage.Kind.INVALID);
        return new RpcParse(out, batch, any ? null : "json.not_jsonrpc");
    }

    /** Mutable collector for one message while its keys stream by in any order. */
    private static final class Acc {
        boolean jsonrpc2;
        boolean hasId;
        boolean hasResult;
        boolean hasError;
        String method;
        String id;
        String protocolVersion;
        String peerName;
        String peerVersion;
        List<String> capabilities;
        boolean hasCapabilities;
        List<String> lsp;
        String metaVersion;
        String metaName;
        String metaPeerVersion;
        List<String> metaCaps;
        String paramName;
        List<String> supported;
        String resultType;
        Integer errorCode;
        String errorMessage;
    }

    private static RpcMessage readMessage(JsonParser p) throws IOException {
        Acc a = new Acc();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "jsonrpc" -> a.jsonrpc2 = v == JsonToken.VALUE_STRING && "2.0".equals(p.getText());
                case "method" -> a.method = scalar(p, v);
                case "id" -> {
                    a.hasId = true;
                    a.id = scalar(p, v);
                }
                case "params" -> {
                    if (v == JsonToken.START_OBJECT) {
                        readBody(p, a, true);
                    } else {
                        p.skipChildren();
                    }
                }
                case "result" -> {
                    a.hasResult = true;
                    if (v == JsonToken.START_OBJECT) {
                        readBody(p, a, false);
                    } else {
                        p.skipChildren();
                    }
                }
                case "error" -> {
                    a.hasError = true;
                    if (v == JsonToken.START_OBJECT) {
                        readError(p, a);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        RpcMessage.Kind kind;
        if (a.method != null) {
            kind = a.hasId ? RpcMessage.Kind.REQUEST : RpcMessage.Kind.NOTIFICATION;
        } else if (a.hasResult && a.hasId) {
            kind = RpcMessage.Kind.RESULT;
        } else if (a.hasError) {
            kind = RpcMessage.Kind.ERROR;
        } else {
            kind = RpcMessage.Kind.INVALID;
        }
        if (!a.jsonrpc2) {
            kind = RpcMessage.Kind.INVALID;
        }
        return new RpcMessage(kind, a.jsonrpc2, a.method, a.id, a.protocolVersion, a.peerName, a.peerVersion,
                a.capabilities, a.hasCapabilities, a.lsp, a.metaVersion, a.metaName, a.metaPeerVersion,
                a.metaCaps, a.paramName, a.supported, a.resultType, a.errorCode, a.errorMessage);
    }

    /** Reads a params or result object (the parser is on its START_OBJECT). */
    private static void readBody(JsonParser p, Acc a, boolean params) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "protocolVersion" -> a.protocolVersion = scalar(p, v);
                case "clientInfo", "serverInfo" -> {
                    String[] nv = readInfo(p, v);
                    a.peerName = nv[0];
                    a.peerVersion = nv[1];
                }
                case "capabilities" -> {
                    if (v == JsonToken.START_OBJECT) {
                        a.hasCapabilities = true;
                        a.capabilities = readKeys(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "processId", "rootUri", "rootPath", "workspaceFolders", "initializationOptions" -> {
                    if (params) {
                        if (a.lsp == null) {
                            a.lsp = new ArrayList<>(2);
                        }
                        a.lsp.add(key);
                    }
                    p.skipChildren();
                }
                case "name", "uri" -> {
                    String s = scalar(p, v);
                    if (params && a.paramName == null) {
                        a.paramName = s;
                    }
                }
                case "supportedVersions" -> a.supported = readStrings(p, v);
                case "resultType" -> a.resultType = scalar(p, v);
                case "_meta" -> {
                    if (v == JsonToken.START_OBJECT) {
                        readMeta(p, a);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void readMeta(JsonParser p, Acc a) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case META_PROTOCOL_VERSION -> a.metaVersion = scalar(p, v);
                case META_CLIENT_INFO, META_SERVER_INFO -> {
                    String[] nv = readInfo(p, v);
                    a.metaName = nv[0];
                    a.metaPeerVersion = nv[1];
                }
                case META_CLIENT_CAPABILITIES -> {
                    if (v == JsonToken.START_OBJECT) {
                        a.metaCaps = readKeys(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void readError(JsonParser p, Acc a) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "code" -> a.errorCode = v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                        ? p.getIntValue() : null;
                case "message" -> a.errorMessage = scalar(p, v);
                case "data" -> {
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            JsonToken dv = p.nextToken();
                            if ("supported".equals(k) || "supportedVersions".equals(k)) {
                                a.supported = readStrings(p, dv);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static String[] readInfo(JsonParser p, JsonToken v) throws IOException {
        String[] nv = new String[2];
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return nv;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken t = p.nextToken();
            if ("name".equals(k)) {
                nv[0] = scalar(p, t);
            } else if ("version".equals(k)) {
                nv[1] = scalar(p, t);
            } else {
                p.skipChildren();
            }
        }
        return nv;
    }

    private static List<String> readKeys(JsonParser p) throws IOException {
        List<String> keys = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (keys.size() < MAX_KEYS) {
                keys.add(cap(p.currentName()));
            }
            p.nextToken();
            p.skipChildren();
        }
        return keys;
    }

    private static List<String> readStrings(JsonParser p, JsonToken v) throws IOException {
        List<String> out = new ArrayList<>();
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.VALUE_STRING && out.size() < MAX_KEYS) {
                out.add(cap(p.getText()));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    /** Text of a scalar value (string or number); null for objects/arrays (which are skipped) and null. */
    private static String scalar(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return cap(p.getText());
        }
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
        return null;
    }

    private static String cap(String s) {
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) : s;
    }
}
