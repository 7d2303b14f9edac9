package io.mcpwarden.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --config FILE} of run and config check. */
class ConfigFileTest {
    @TempDir
    Path tmp;

    private static final String GOOD = """
            # two destinations
            syslog:
              spool_dir: spool
              destinations:
                - url: tcp://127.0.0.1:6514
                  name: soc
                  event_types: [mcp, verdict]
                  min_severity: notice
                - url: tls://siem.example:6514
                  format: cef
                  ca: ca.pem
            """;

    private static final String BAD = """
            syslog:
              destinations:
                - url: tcp://127.0.0.1:6514
                  fromat: cef
            """;

    private <T> T sub(TestEnv t, String... args) {
        CommandLine.ParseResult pr = WardenCommand.commandLine(t.env).parseArgs(args);
        CommandLine.ParseResult s = pr.subcommand();
        while (s.subcommand() != null) {
            s = s.subcommand();
        }
        return s.commandSpec().commandLine().getCommand();
    }

    @Test
    void optionParsingAndTheDefault() {
        TestEnv t = new TestEnv(null, tmp);
        RunCommand r = sub(t, "run", "-i", "eth0", "--config", "/etc/x/warden.conf");
        assertEquals(Path.of("/etc/x/warden.conf"), r.config.file);
        assertEquals(Path.of("/etc/x/warden.conf"), r.config.resolve());
        RunCommand d = sub(t, "run", "-i", "eth0");
        assertNull(d.config.file);
        assertEquals(Files.exists(ConfigFileOption.DEFAULT) ? ConfigFileOption.DEFAULT : null, d.config.resolve(),
                "the package's file when it exists");
        ConfigCommand.Check c = sub(t, "config", "check", "--config", "w.conf");
        assertEquals(Path.of("w.conf"), c.configFile.file);
    }

    @Test
    void configCheckOfAGoodFile() throws Exception {
        Files.writeString(tmp.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path f = Files.writeString(tmp.resolve("warden.conf"), GOOD);
        TestEnv t = new TestEnv(null, tmp);
        int code = t.run("config", "check", "--no-rules", "--config", f.toString());
        String out = t.out();
        assertTrue(out.contains("OK   config     " + f + ": 2 syslog destinations\n"), out);
        assertTrue(out.contains("OK   syslog     soc tcp://127.0.0.1:6514 (warden.conf line 5, rfc5424, "
                + "event_types mcp,verdict, min_severity notice)"), out);
        assertTrue(out.contains("OK   syslog     tls_siem_example_6514 tls://siem.example:6514 (warden.conf line 9, cef, ca "
                + tmp.resolve("ca.pem") + ")"), out);
        assertTrue(out.contains("OK   spool      " + tmp.resolve("spool") + " writable"), out);
        // only libpcap may be missing on a build machine
        assertEquals(out.contains("FAIL libpcap") ? ExitCodes.IO_ERROR : ExitCodes.OK, code, out);
        assertFalse(out.replace("FAIL libpcap", "").contains("FAIL"), out);
    }

    @Test
    void configCheckOfABadFileNamesLineAndColumn() throws Exception {
        Path f = Files.writeString(tmp.resolve("warden.conf"), BAD);
        TestEnv t = new TestEnv(null, tmp);
        assertEquals(ExitCodes.IO_ERROR, t.run("config", "check", "--no-rules", "--config", f.toString()));
        assertTrue(t.out().contains("FAIL config     " + f + ":4:7: unknown key 'fromat' in a destination (known: url, "
                + "name, format, ca, cert, key, event_types, min_severity)\n"), t.out());
        TestEnv t2 = new TestEnv(null, tmp);
        assertEquals(ExitCodes.IO_ERROR, t2.run("config", "check", "--no-rules", "--config",
                tmp.resolve("missing.conf").toString()));
        assertTrue(t2.out().contains("FAIL config     " + tmp.resolve("missing.conf") + ":0:0: no such file"), t2.out());
    }

    @Test
    void configCheckRefusesAFileDestinationNamedLikeACommandLineOne() throws Exception {
        Files.writeString(tmp.resolve("ca.pem"), "x");
        Path f = Files.writeString(tmp.resolve("warden.conf"), GOOD);
        TestEnv t = new TestEnv(null, tmp);
        assertEquals(ExitCodes.IO_ERROR, t.run("config", "check", "--no-rules", "--config", f.toString(),
                "--syslog", "udp://10.0.0.1?name=soc"));
        assertTrue(t.out().contains("FAIL config     " + f + ":5:7: destination name 'soc' is already used by a "
                + "--syslog option"), t.out());
    }

    @Test
    void runWithAMissingConfigFileIsAUsageError() {
        TestEnv t = new TestEnv(null, tmp);
        assertEquals(ExitCodes.USAGE, t.run("run", "-i", "lo", "--no-rules", "--config", tmp.resolve("no.conf").toString()));
        assertEquals("error: --config " + tmp.resolve("no.conf") + ": no such file\n", t.err());
    }

    @Test
    void runLoadsTheFileBeforeCapturingAndReportsItsDestinationsAtTheEnd() throws Exception {
        Path f = Files.writeString(tmp.resolve("warden.conf"), "syslog:\n  destinations:\n"
                + "    - url: udp://127.0.0.1:9\n      name: discard\n");
        TestEnv t = new TestEnv(null, tmp);
        int code = t.run("run", "-i", "no-such-if0", "--no-rules", "--config", f.toString(),
                "--spool-dir", tmp.resolve("spool").toString(), "--status-file", tmp.resolve("s.json").toString());
        assertEquals(ExitCodes.IO_ERROR, code, t.err());
        String err = t.err();
        assertTrue(err.contains("run: config " + f + ": loaded, 1 syslog destination: discard\n"), err);
        assertTrue(err.contains("run: cannot capture on no-such-if0"), err);
        assertTrue(err.contains("run: syslog udp://127.0.0.1:9?name=discard: sent 0"), err);
    }

    @Test
    void runReportsARejectedFileAndGoesOn() throws Exception {
        Path f = Files.writeString(tmp.resolve("warden.conf"), BAD);
        TestEnv t = new TestEnv(null, tmp);
        assertEquals(ExitCodes.IO_ERROR, t.run("run", "-i", "no-such-if0", "--no-rules", "--config", f.toString()));
        assertTrue(t.err().contains("run: config " + f + ":4:7: unknown key 'fromat' in a destination (known: "), t.err());
        assertTrue(t.err().contains("; no syslog destinations from this file until it is corrected\n"), t.err());
        assertTrue(t.err().contains("run: cannot capture on no-such-if0"), t.err());
    }
}
