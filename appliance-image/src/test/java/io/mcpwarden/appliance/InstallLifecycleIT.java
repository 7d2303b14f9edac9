package io.mcpwarden.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Installs, upgrades, removes and purges the package in a fresh directory with
 * {@code dpkg --root=DIR --force-script-chrootless}: the maintainer scripts run on the host with
 * {@code DPKG_ROOT=DIR} and must touch only that tree (user database included). Needs root and dpkg.
 * The installed {@code warden} is started from that tree with the bundled Java runtime.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallLifecycleIT {
    static Path root;
    static int uid;
    static int gid;

    @BeforeAll
    static void freshRoot() throws IOException {
        Assumptions.assumeTrue(Proc.onPath("dpkg") && Proc.onPath("dpkg-deb"), "dpkg is not installed");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "installing with dpkg --root and setting owners needs root (CI runs as root)");
        Assumptions.assumeTrue(Proc.onPath("useradd") && Proc.onPath("groupadd"),
                "useradd/groupadd (Debian package passwd) are not installed");
        root = Files.createTempDirectory("warden-dpkg-root");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\n");
        dpkg("-i", Deb.file().toString()).ok("dpkg --root -i");
    }

    @AfterAll
    static void cleanUp() {
        Deb.deleteTree(root);
    }

    static Proc dpkg(String... args) {
        List<String> cmd = new ArrayList<>(List.of("dpkg", "--root=" + root, "--force-depends",
                "--force-script-chrootless", "--force-confold"));
        cmd.addAll(List.of(args));
        return Proc.run(cmd, Map.of("DEBIAN_FRONTEND", "noninteractive"), 180);
    }

    static Path p(String path) {
        return root.resolve(path.substring(1));
    }

    static int mode(String path) throws IOException {
        return (Integer) Files.getAttribute(p(path), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static int owner(String path, String what) throws IOException {
        return (Integer) Files.getAttribute(p(path), "unix:" + what, LinkOption.NOFOLLOW_LINKS);
    }

    static String passwdEntry(String file, String name) throws IOException {
        return Files.readAllLines(p(file)).stream().filter(l -> l.startsWith(name + ":")).findFirst().orElse(null);
    }

    static Proc warden(String... args) {
        List<String> cmd = new ArrayList<>(List.of(p("/usr/bin/warden").toString()));
        cmd.addAll(List.of(args));
        return Proc.run(cmd, Map.of("WARDEN_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -Xshare:auto -XshowSettings:properties"), 120);
    }

    @Test
    @Order(1)
    void postinstCreatesASystemUserInTheTargetTreeOnly() throws IOException {
        String user = passwdEntry("/etc/passwd", "mcp-warden");
        String group = passwdEntry("/etc/group", "mcp-warden");
        assertTrue(user != null && group != null, "user and group in " + root + "/etc");
        String[] u = user.split(":");
        uid = Integer.parseInt(u[2]);
        gid = Integer.parseInt(group.split(":")[2]);
        assertTrue(uid > 0 && uid < 1000, "a system uid: " + user);
        assertEquals(gid, Integer.parseInt(u[3]), "primary group mcp-warden");
        assertEquals("/usr/sbin/nologin", u[6]);
        assertEquals("/var/lib/mcp-warden", u[5]);
        assertTrue(dpkg("-s", "mcp-warden").ok("dpkg -s").out().contains("Status: install ok installed"));
    }

    @Test
    @Order(2)
    void configurationIsRootOwnedAndReadableByTheServiceGroup() throws IOException {
        for (String f : List.of("/etc/mcp-warden/mcp-warden.env", "/etc/mcp-warden/warden.conf")) {
            assertEquals(0640, mode(f), f);
            assertEquals(0, owner(f, "uid"), f);
            assertEquals(gid, owner(f, "gid"), f);
        }
        // the shipped rules must be readable by the service (it runs as the service user, not root)
        try (var drl = java.nio.file.Files.list(p("/etc/mcp-warden/rules.d"))) {
            List<String> rules = drl.map(x -> "/etc/mcp-warden/rules.d/" + x.getFileName()).toList();
            assertFalse(rules.isEmpty(), "rules installed");
            for (String f : rules) {
                assertEquals(0640, mode(f), f);
                assertEquals(gid, owner(f, "gid"), f);
            }
        }
        for (String d : List.of("/etc/mcp-warden", "/etc/mcp-warden/rules.d")) {
            assertEquals(0750, mode(d), d);
            assertEquals(0, owner(d, "uid"), d);
            assertEquals(gid, owner(d, "gid"), d);
        }
        for (String d : List.of("/var/lib/mcp-warden", "/var/lib/mcp-warden/spool", "/var/log/mcp-warden")) {
            assertEquals(0750, mode(d), d);
            assertEquals(uid, owner(d, "uid"), d);
            assertEquals(gid, owner(d, "gid"), d);
        }
        assertEquals(0755, mode("/usr/bin/warden"));
        assertEquals(0644, mode("/lib/systemd/system/mcp-warden.service"));
        String status = dpkg("-s", "mcp-warden").ok("dpkg -s").out();
        assertTrue(status.contains("Conffiles:\n /etc/mcp-warden/mcp-warden.env "), status);
        assertTrue(status.contains(" /etc/mcp-warden/warden.conf "), status);
        assertFalse(Files.exists(p("/etc/systemd/system/multi-user.target.wants/mcp-warden.service")),
                "not enabled on installation: the interface is chosen first");
    }

    @Test
    @Order(3)
    void installedVersionRunsOnTheBundledRuntime() {
        Proc v = warden("version");
        assertEquals(0, v.exit(), v.out() + v.err());
        assertTrue(v.out().contains("MCP Warden " + Deb.PROJECT_VERSION), v.out());
        assertTrue(v.out().contains("Felix framework"), v.out());
        assertTrue(v.out().contains("home " + p("/usr/lib/mcp-warden")), "home from the wrapper: " + v.out());
        assertTrue(v.err().contains("java.home = " + p("/usr/lib/mcp-warden/runtime")),
                "the jlink'ed runtime, not the build's JDK:\n" + v.err().lines().filter(l -> l.contains("java.home")).toList());
    }

    @Test
    @Order(4)
    void installedInspectFindsTheMcpSessionsOfTheDemoCapture() {
        Proc r = warden("inspect", "--pcap", p("/usr/lib/mcp-warden/demo/demo.pcap").toString());
        assertEquals(0, r.exit(), r.err());
        long mcp = r.out().lines().filter(l -> l.contains("\"event_type\":\"mcp\"")).count();
        assertTrue(mcp >= 1, "mcp events on stdout:\n" + r.out());
        assertTrue(r.out().lines().allMatch(l -> l.startsWith("{") && l.endsWith("}")), "JSON lines only on stdout");
        assertTrue(r.err().contains("status ok"), r.err());
    }

    @Test
    @Order(5)
    void upgradeKeepsChangedConfigurationRulesAndSpool() throws IOException {
        Path env = p("/etc/mcp-warden/mcp-warden.env");
        String changed = Files.readString(env).replace("WARDEN_INTERFACE=any", "WARDEN_INTERFACE=eth1");
        Files.writeString(env, changed);
        Files.writeString(p("/etc/mcp-warden/rules.d/local.drl"), "package local;\n");
        Files.writeString(p("/var/lib/mcp-warden/spool/0001.jsonl"), "{}\n");
        Files.writeString(p("/var/log/mcp-warden/eve.jsonl"), "{}\n");

        dpkg("-i", Deb.file().toString()).ok("dpkg --root -i (upgrade)");

        assertEquals(changed, Files.readString(env), "changed conffile kept");
        assertEquals(0640, mode("/etc/mcp-warden/mcp-warden.env"));
        assertEquals(gid, owner("/etc/mcp-warden/mcp-warden.env", "gid"));
        assertTrue(Files.exists(p("/etc/mcp-warden/rules.d/local.drl")), "rules kept");
        assertEquals("{}\n", Files.readString(p("/var/lib/mcp-warden/spool/0001.jsonl")), "spool kept");
        assertEquals(uid, owner("/var/lib/mcp-warden/spool", "uid"));
        assertEquals(1, Files.readAllLines(p("/etc/passwd")).stream().filter(l -> l.startsWith("mcp-warden:")).count(),
                "the user is not created twice");
    }

    @Test
    @Order(6)
    void removeKeepsConfigurationAndState() {
        dpkg("-r", "mcp-warden").ok("dpkg --root -r");
        assertFalse(Files.exists(p("/usr/lib/mcp-warden/runtime/bin/java")));
        assertFalse(Files.exists(p("/usr/bin/warden")));
        assertTrue(Files.exists(p("/etc/mcp-warden/mcp-warden.env")));
        assertTrue(Files.exists(p("/etc/mcp-warden/rules.d/local.drl")));
        assertTrue(Files.exists(p("/var/lib/mcp-warden/spool/0001.jsonl")));
    }

    @Test
    @Order(7)
    void purgeRemovesConfigurationStateLogsAndTheUser() throws IOException {
        dpkg("--purge", "mcp-warden").ok("dpkg --root --purge");
        for (String gone : List.of("/etc/mcp-warden", "/var/lib/mcp-warden", "/var/log/mcp-warden", "/usr/lib/mcp-warden")) {
            assertFalse(Files.exists(p(gone)), gone + " after purge");
        }
        assertEquals(null, passwdEntry("/etc/passwd", "mcp-warden"), "user removed");
        assertEquals(null, passwdEntry("/etc/group", "mcp-warden"), "group removed");
        assertTrue(passwdEntry("/etc/passwd", "root") != null, "other users untouched");
        assertFalse(dpkg("-s", "mcp-warden").out().contains("Status: install"), "package gone from the database");
    }
}
