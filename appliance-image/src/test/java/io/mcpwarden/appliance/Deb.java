package io.mcpwarden.appliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The package this module built and the facts the tests compare it against. */
final class Deb {
    static final Path TARGET = Path.of(System.getProperty("warden.appliance.target", "target"));
    static final String PROJECT_VERSION = System.getProperty("warden.version", "0.1.0-SNAPSHOT");
    static final String ARCH = System.getProperty("warden.deb.arch", "amd64");
    static final Path SYSTEMD_DIR = Path.of(System.getProperty("warden.systemd.dir", "../systemd"));

    private Deb() {
    }

    /** Debian's spelling of the project version: {@code 0.1.0-SNAPSHOT} → {@code 0.1.0~SNAPSHOT}. */
    static String debianVersion() {
        return PROJECT_VERSION.replace("-SNAPSHOT", "~SNAPSHOT");
    }

    static Path file() {
        Path deb = TARGET.resolve("mcp-warden_" + debianVersion() + "_" + ARCH + ".deb");
        if (!Files.isRegularFile(deb)) {
            String present;
            try (Stream<Path> s = Files.list(TARGET)) {
                present = s.map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
            } catch (IOException e) {
                present = e.toString();
            }
            throw new AssertionError("the package was not built: " + deb + " (target holds: " + present + ")");
        }
        return deb;
    }

    /** {@code dpkg-deb --contents} as lines "mode owner/group path" (size and date dropped). */
    static List<String> contents() {
        String out = Proc.run("dpkg-deb", "--contents", file().toString()).ok("dpkg-deb --contents").out();
        return out.lines().map(l -> {
            String[] f = l.trim().split("\\s+", 6);
            String path = f[5];
            int arrow = path.indexOf(" -> ");
            if (arrow >= 0) {
                path = path.substring(0, arrow);
            }
            return f[0] + " " + f[1] + " " + path;
        }).collect(Collectors.toList());
    }

    static void deleteTree(Path dir) {
        if (dir != null && Files.exists(dir)) {
            Proc.run("rm", "-rf", "--one-file-system", dir.toString());
        }
    }
}
