package io.mcpwarden.policy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads the DRL files of a rules directory, skipping editor temp files and hidden files. */
final class Sources {
    static final int MAX_DEPTH = 4;
    static final int MAX_FILES = 10_000;
    static final long MAX_FILE_BYTES = 8L << 20;

    private Sources() {
    }

    /** True for names an editor or a copy leaves behind while writing: {@code .*, *~, *.swp, *.tmp, #*#}. */
    static boolean isTemp(String name) {
        return name.startsWith(".") || name.endsWith("~") || name.endsWith(".swp") || name.endsWith(".swx")
                || name.endsWith(".tmp") || (name.startsWith("#") && name.endsWith("#"));
    }

    /** Every {@code *.drl} (relative name with '/' → content), sorted by name. */
    static SortedMap<String, byte[]> readRules(Path dir) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir, MAX_DEPTH)) {
            files = s.filter(p -> !p.equals(dir))
                    .filter(p -> dir.relativize(p).toString().split("[/\\\\]").length > 0)
                    .filter(p -> {
                        for (Path part : dir.relativize(p)) {
                            if (isTemp(part.toString())) {
                                return false;
                            }
                        }
                        return p.getFileName().toString().endsWith(".drl") && Files.isRegularFile(p);
                    })
                    .limit(MAX_FILES)
                    .toList();
        }
        for (Path p : files) {
            try {
                if (Files.size(p) > MAX_FILE_BYTES) {
                    throw new IOException(p + " is larger than " + MAX_FILE_BYTES + " bytes");
                }
                out.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            } catch (NoSuchFileException gone) {
                // renamed or deleted between listing and reading: the next scan sees the new state
            }
        }
        return out;
    }
}
