package io.mcpwarden.pipeline.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Address → name learnt from DNS answers (the name the client asked for), bounded LRU, shared by threads. */
final class DnsNames {
    static final int MAX_ENTRIES = 65_536;

    private final Map<String, String> names = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > MAX_ENTRIES;
        }
    };

    synchronized void learn(String address, String name) {
        if (address != null && name != null && !name.isEmpty()) {
            names.put(address, name);
        }
    }

    synchronized String nameOf(String address) {
        return names.get(address);
    }

    synchronized int size() {
        return names.size();
    }
}
