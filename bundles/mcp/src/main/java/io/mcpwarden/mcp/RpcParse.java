package io.mcpwarden.mcp;

import java.util.List;

/**
 * The result of reading one JSON text (an HTTP body or one SSE event's data).
 *
 * @param messages  the JSON-RPC messages found (a batch gives several), in order
 * @param batch     whether the text was a JSON array
 * @param anomaly   null, or why the text is not usable JSON-RPC ({@code json.malformed}, {@code json.too_large},
 *                  {@code json.not_jsonrpc}, {@code json.truncated})
 */
public record RpcParse(List<RpcMessage> messages, boolean batch, String anomaly) {
    public static final RpcParse EMPTY = new RpcParse(List.of(), false, null);

    public RpcParse {
        messages = List.copyOf(messages);
    }
}
