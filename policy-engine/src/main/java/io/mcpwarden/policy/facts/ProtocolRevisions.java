package io.mcpwarden.policy.facts;

import java.util.List;

/** The MCP protocol revisions, oldest first: the one place that says which are deprecated. */
public final class ProtocolRevisions {

    /** Every published revision, oldest first. */
    public static final List<String> ALL = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28");

    /** How many of the newest revisions are current; the older ones are deprecated. */
    public static final int CURRENT = 2;

    private ProtocolRevisions() {
    }

    /** True for a known revision older than the newest {@value #CURRENT}; false for current or unknown ones. */
    public static boolean deprecated(String revision) {
        int i = revision == null ? -1 : ALL.indexOf(revision);
        return i >= 0 && i < ALL.size() - CURRENT;
    }
}
