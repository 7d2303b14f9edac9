package io.mcpwarden.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unit as packaged: {@code systemd-analyze verify} and {@code security --offline} against the package's
 * files extracted into a directory used as root (no running manager needed). The host's own target and
 * slice units are copied next to it so that the dependencies of the unit resolve.
 */
class SystemdUnitIT {
    static final double MAX_EXPOSURE = 2.5;
    static Path root;
    static String unit;

    @BeforeAll
    static void extract() throws IOException {
        Assumptions.assumeTrue(Proc.onPath("dpkg-deb"), "dpkg-deb is not installed (Debian package dpkg)");
        unit = Files.readString(Deb.SYSTEMD_DIR.resolve("mcp-warden.service"));
        root = Files.createTempDirectory("warden-unit-root");
        Proc.run("dpkg-deb", "-x", Deb.file().toString(), root.toString()).ok("dpkg-deb -x");
    }

    @AfterAll
    static void cleanUp() {
        Deb.deleteTree(root);
    }

    @Test
    void packagedUnitIsTheOneInSystemdDirectory() throws IOException {
        assertEquals(unit, Files.readString(root.resolve("lib/systemd/system/mcp-warden.service")));
    }

    @Test
    void unitSaysWhatTheApplianceNeedsAndNothingMore() {
        for (String line : List.of("Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "User=mcp-warden", "EnvironmentFile=-/etc/mcp-warden/mcp-warden.env", "Environment=WARDEN_INTERFACE=any",
                "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN CAP_NET_BIND_SERVICE",
                "CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN CAP_NET_BIND_SERVICE",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                "ReadWritePaths=/var/lib/mcp-warden /var/log/mcp-warden",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_PACKET AF_NETLINK",
                "SystemCallFilter=@system-service", "MemoryDenyWriteExecute=no", "Restart=on-failure",
                "LockPersonality=yes", "RestrictNamespaces=yes")) {
            assertTrue(unit.lines().anyMatch(line::equals), "missing: " + line);
        }
        assertTrue(unit.contains("ExecStart=/usr/bin/warden run --interface ${WARDEN_INTERFACE}"), "ExecStart");
        assertTrue(unit.lines().anyMatch(l -> l.matches("RestartSec=\\d+s")), "RestartSec");
        assertTrue(unit.lines().anyMatch(l -> l.matches("StartLimitIntervalSec=.+")), "StartLimitIntervalSec");
        assertTrue(unit.lines().anyMatch(l -> l.matches("StartLimitBurst=\\d+")), "StartLimitBurst");
        assertTrue(unit.lines().anyMatch(l -> l.matches("MemoryMax=.+")), "MemoryMax");
        // reload = SIGHUP, which 'warden run' handles (tests/integration SystemdNotifyTest sends it)
        assertTrue(unit.lines().anyMatch("ExecReload=/bin/kill -HUP $MAINPID"::equals), "ExecReload");
    }

    private static void assumeAnalyze() {
        Assumptions.assumeTrue(Proc.onPath("systemd-analyze"),
                "systemd-analyze is not installed (Debian package systemd): unit not verified");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/lib/systemd/system")),
                "no /lib/systemd/system on this machine to resolve the unit's targets");
    }

    @Test
    void systemdAnalyzeVerifyPasses() {
        assumeAnalyze();
        Proc.run("cp", "-an", "/lib/systemd/system/.", root.resolve("lib/systemd/system") + "/").ok("copy host units");
        // ExecReload's /bin/kill, which the package's dependency procps brings
        Proc.run("mkdir", "-p", root.resolve("bin").toString()).ok("mkdir bin");
        Proc.run("cp", "-an", "/bin/kill", root.resolve("bin/kill").toString()).ok("copy kill");
        Proc p = Proc.run(List.of("systemd-analyze", "verify", "--root=" + root, "mcp-warden.service"),
                Map.of("SYSTEMD_LOG_COLOR", "0"), 120);
        assertEquals(0, p.exit(), "systemd-analyze verify:\n" + p.out() + p.err());
        assertFalse((p.out() + p.err()).contains("mcp-warden.service"), "no remark on the unit:\n" + p.out() + p.err());
    }

    @Test
    void securityExposureIsAtMostTwoAndAHalf() {
        assumeAnalyze();
        Proc p = Proc.run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager",
                root.resolve("lib/systemd/system/mcp-warden.service").toString()), Map.of("SYSTEMD_COLORS", "0"), 120);
        Matcher m = Pattern.compile("Overall exposure level for mcp-warden\\.service: (\\d+\\.\\d+)").matcher(p.out());
        assertTrue(m.find(), "systemd-analyze security printed no score:\n" + p.out() + p.err());
        double score = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security mcp-warden.service: exposure " + score);
        assertTrue(score <= MAX_EXPOSURE, "exposure " + score + " > " + MAX_EXPOSURE + "\n" + p.out());
    }
}
