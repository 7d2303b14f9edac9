package io.mcpwarden.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the .deb declares and holds, read with dpkg-deb (no installation, no root). */
class PackageContentsIT {
    static List<String> contents;

    @BeforeAll
    static void read() {
        Assumptions.assumeTrue(Proc.onPath("dpkg-deb"), "dpkg-deb is not installed (Debian package dpkg)");
        contents = Deb.contents();
    }

    private static String entry(String path) {
        return contents.stream().filter(l -> l.endsWith(" ." + path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is not in the package"));
    }

    private static String field(String name) {
        return Proc.run("dpkg-deb", "--field", Deb.file().toString(), name).ok("dpkg-deb --field").out().trim();
    }

    @Test
    void fileNameAndControlFieldsFollowTheProject() {
        assertEquals("mcp-warden_" + Deb.debianVersion() + "_" + Deb.ARCH + ".deb", Deb.file().getFileName().toString());
        assertEquals("mcp-warden", field("Package"));
        assertEquals(Deb.debianVersion(), field("Version"));
        assertFalse(field("Version").contains("-"), "a native version without a Debian revision");
        assertEquals(Deb.ARCH, field("Architecture"));
        List<String> depends = Arrays.stream(field("Depends").split(",")).map(String::trim).collect(Collectors.toList());
        assertTrue(depends.contains("libpcap0.8"), "Depends: " + depends);
        assertTrue(depends.contains("procps"), "Depends (kill for ExecReload): " + depends);
        assertTrue(depends.contains("passwd"), "useradd/groupadd for the system user: " + depends);
        String info = Proc.run("dpkg-deb", "--info", Deb.file().toString()).ok("dpkg-deb --info").out();
        for (String script : List.of("postinst", "prerm", "postrm", "conffiles", "md5sums")) {
            assertTrue(info.contains(" " + script), script + " in the control archive:\n" + info);
        }
    }

    @Test
    void conffilesAreTheConfigurationFiles() {
        String conffiles = Proc.run("dpkg-deb", "--info", Deb.file().toString(), "conffiles").ok("conffiles").out();
        Set<String> listed = conffiles.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toSet());
        Set<String> expected = new java.util.HashSet<>(Set.of("/etc/mcp-warden/mcp-warden.env", "/etc/mcp-warden/warden.conf"));
        Path registry = Path.of(System.getProperty("warden.root", "..")).resolve("detection-rules/registry.example.yaml");
        if (Files.isRegularFile(registry)) {
            expected.add("/etc/mcp-warden/registry.yaml");
        }
        Path rules = registry.resolveSibling("rules");
        if (Files.isDirectory(rules)) {
            try (var drl = Files.list(rules)) {
                drl.filter(f -> f.toString().endsWith(".drl"))
                        .forEach(f -> expected.add("/etc/mcp-warden/rules.d/" + f.getFileName()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertTrue(expected.size() > 3, "the shipped rule pack is packaged");
        }
        assertEquals(expected, listed);
        for (String c : listed) {
            assertTrue(entry(c).startsWith("-rw-r----- root/root "), "config 0640 in the package: " + entry(c));
        }
    }

    @Test
    void installsToFhsPathsWithModesAndOwners() {
        assertTrue(entry("/usr/bin/warden").startsWith("-rwxr-xr-x root/root "));
        assertTrue(entry("/usr/lib/mcp-warden/runtime/bin/java").startsWith("-rwxr-xr-x "));
        assertTrue(entry("/usr/lib/mcp-warden/runtime/lib/jspawnhelper").startsWith("-rwxr-xr-x "));
        assertTrue(entry("/usr/lib/mcp-warden/lib/warden-launcher.jar").startsWith("-rw-r--r-- "));
        assertTrue(entry("/lib/systemd/system/mcp-warden.service").startsWith("-rw-r--r-- root/root "));
        entry("/usr/lib/mcp-warden/demo/demo.pcap");
        entry("/usr/lib/mcp-warden/lib/org.apache.felix.framework-7.0.5.jar");
        entry("/usr/share/doc/mcp-warden/README.md");
        assertTrue(contents.stream().anyMatch(l -> l.matches(".* \\./usr/lib/mcp-warden/bundles/warden-runtime-.*\\.jar")),
                "warden-runtime bundle");
        assertTrue(contents.stream().anyMatch(l -> l.contains("./usr/lib/mcp-warden/bundles-shell/org.apache.felix.gogo.shell")),
                "Gogo shell bundles for --shell");
        for (String dir : List.of("/etc/mcp-warden/", "/etc/mcp-warden/rules.d/", "/var/lib/mcp-warden/",
                "/var/lib/mcp-warden/spool/", "/var/log/mcp-warden/")) {
            assertTrue(entry(dir).startsWith("drwxr-x--- root/root "), dir + ": " + entry(dir));
        }
        entry("/usr/lib/mcp-warden/deploy/");
        // every entry root-owned; nothing shipped inside state, spool or logs (an upgrade never touches them)
        assertTrue(contents.stream().allMatch(l -> l.split(" ")[1].equals("root/root")), "all root/root");
        assertTrue(contents.stream().noneMatch(l -> l.matches("-.* \\./var/.*")), "no files under /var");
        assertTrue(contents.stream().noneMatch(l -> l.matches(".* \\./(opt|usr/local|home)/.*")), "FHS only");
    }

    @Test
    void runtimeIsJlinkedFromTheModulesTheJarsNeed() throws IOException {
        // jlink options: no header files, no man pages; a CDS archive for start-up
        assertTrue(contents.stream().noneMatch(l -> l.contains("/runtime/include/")), "--no-header-files");
        assertTrue(contents.stream().noneMatch(l -> l.contains("/runtime/man/")), "--no-man-pages");
        assertTrue(contents.stream().anyMatch(l -> l.endsWith("/runtime/lib/server/classes.jsa")), "CDS archive");
        assertTrue(contents.stream().noneMatch(l -> l.contains("/runtime/jmods/")), "a runtime, not a JDK");
        assertTrue(contents.stream().noneMatch(l -> l.endsWith("/runtime/bin/javac")), "no compiler");

        Path release = Deb.TARGET.resolve("image/usr/lib/mcp-warden/runtime/release");
        String modulesLine = Files.readAllLines(release).stream().filter(l -> l.startsWith("MODULES="))
                .findFirst().orElseThrow();
        Set<String> modules = Set.of(modulesLine.substring("MODULES=".length()).replace("\"", "").split(" "));
        for (String m : List.of("java.base", "jdk.unsupported", "java.logging", "java.xml", "java.sql", "java.management")) {
            assertTrue(modules.contains(m), m + " in " + modules);
        }
        assertFalse(modules.contains("jdk.compiler"), "only what the jars need: " + modules);
        assertTrue(modules.size() < 20, "a small runtime: " + modules);
    }
}
