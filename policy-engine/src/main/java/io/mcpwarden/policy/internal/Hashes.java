package io.mcpwarden.policy.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/** The rule-set and registry hashes: first 12 hex digits of SHA-256. */
final class Hashes {
    private Hashes() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Over the sorted file names and contents: name, NUL, length, NUL, content for each file. */
    static String ofFiles(SortedMap<String, byte[]> files) {
        MessageDigest d = sha256();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            d.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(Integer.toString(e.getValue().length).getBytes(StandardCharsets.US_ASCII));
            d.update((byte) 0);
            d.update(e.getValue());
        }
        return HexFormat.of().formatHex(d.digest()).substring(0, 12);
    }

    static String of(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content)).substring(0, 12);
    }
}
