package io.mcpwarden.dissect.http;

import java.util.List;

/** Shared look-up over header lists. */
final class Headers {
    private Headers() {
    }

    /** First value whose name matches case-insensitively (RFC 9110 §5.1), or null. */
    static String first(List<HttpHeader> headers, String name) {
        if (name == null) {
            return null;
        }
        for (int i = 0, n = headers.size(); i < n; i++) {
            HttpHeader h = headers.get(i);
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }
}
