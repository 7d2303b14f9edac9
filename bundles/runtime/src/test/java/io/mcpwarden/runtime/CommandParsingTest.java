package io.mcpwarden.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandParsingTest {
    private final TestEnv t = new TestEnv(null, Path.of("/opt/warden"));

    private <T> T sub(String name, String... args) {
        CommandLine cl = WardenCommand.commandLine(t.env);
        ParseResult pr = cl.parseArgs(args);
        assertEquals(name, pr.subcommand().commandSpec().name());
        return pr.subcommand().commandSpec().commandLine().getCommand();
    }

    @Test
    void inspectSingleFile() {
        InspectCommand c = sub("inspect", "inspect", "--pcap", "a.pcap", "--events", "out.jsonl");
        assertEquals(Path.of("a.pcap"), c.source.single.pcap);
        assertEquals(Path.of("out.jsonl"), c.source.single.events);
        assertNull(c.source.batch);
    }

    @Test
    void inspectSingleFileEventsDefaultToStdout() {
        InspectCommand c = sub("inspect", "inspect", "--pcap=a.pcap");
        assertNull(c.source.single.events);
    }

    @Test
    void inspectBatch() {
        InspectCommand c = sub("inspect", "inspect", "--pcap-dir", "in", "--events-dir", "out", "--jobs", "3");
        assertEquals(Path.of("in"), c.source.batch.dir);
        assertEquals(Path.of("out"), c.source.batch.eventsDir);
        assertEquals(3, c.source.batch.jobs);
        assertNull(c.source.single);
    }

    @Test
    void inspectBatchJobsDefaultIsUnset() {
        InspectCommand c = sub("inspect", "inspect", "--pcap-dir", "in", "--events-dir", "out");
        assertNull(c.source.batch.jobs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "inspect --events x.jsonl", "inspect --pcap a --pcap-dir b --events-dir c",
        "inspect --pcap-dir b", "inspect --pcap a --jobs 2", "run", "run --interface", "bogus", "version extra",
        "inspect --pcap-dir b --events-dir c --jobs x"})
    void usageErrorsExit64WithOneLineReason(String line) {
        assertEquals(ExitCodes.USAGE, t.run(line.split(" ")));
        assertTrue(t.err().startsWith("error: "), t.err());
        assertTrue(t.err().contains("--help"), t.err());
    }

    @Test
    void jobsMustBePositive() {
        assertEquals(ExitCodes.USAGE, t.run("inspect", "--pcap-dir", "b", "--events-dir", "c", "--jobs", "0"));
        assertTrue(t.err().contains("--jobs must be at least 1"), t.err());
    }

    @Test
    void runOptionsAndDefaults() {
        RunCommand c = sub("run", "run", "-i", "eth0");
        assertEquals("eth0", c.iface);
        assertEquals("", c.bpf);
        assertEquals(262_144, c.snaplen);
        assertNull(c.events);
        c = sub("run", "run", "--interface", "lo", "--bpf", "tcp port 80", "--snaplen", "1500", "--events", "e.jsonl");
        assertEquals("lo", c.iface);
        assertEquals("tcp port 80", c.bpf);
        assertEquals(1500, c.snaplen);
        assertEquals(Path.of("e.jsonl"), c.events);
    }

    @Test
    void runRejectsSnaplenOutOfRangeBeforeOpeningAnything() {
        assertEquals(ExitCodes.USAGE, t.run("run", "-i", "lo", "--snaplen", "10"));
        assertTrue(t.err().contains("--snaplen"), t.err());
    }

    @Test
    void demoDefaultsToAFileInTheTempDir() {
        DemoCommand c = sub("demo", "demo");
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "mcp-warden-demo.jsonl"), c.events);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "run", "demo", "version", ""})
    void helpOfEveryCommandExits0AndMentionsEveryOption(String command) {
        String[] args = command.isEmpty() ? new String[]{"--help"} : new String[]{command, "--help"};
        assertEquals(0, t.run(args));
        String help = t.out();
        CommandLine cl = WardenCommand.commandLine(t.env);
        CommandLine target = command.isEmpty() ? cl : cl.getSubcommands().get(command);
        for (OptionSpec o : target.getCommandSpec().options()) {
            assertTrue(help.contains(o.longestName()), command + " --help lacks " + o.longestName() + ":\n" + help);
        }
        assertTrue(help.contains("Exit codes:"), help);
        assertTrue(help.contains("Examples:"), help);
        assertEquals("", t.err());
    }

    @Test
    void versionPrintsProductJavaAndFramework() {
        assertEquals(0, t.run("version"));
        assertTrue(t.out().contains("MCP Warden 9.9.9"), t.out());
        assertTrue(t.out().contains("Java " + System.getProperty("java.version")), t.out());
        assertTrue(t.out().contains("Felix framework 7.0.5"), t.out());
        assertTrue(t.out().contains("bundles 3 (2 active)"), t.out());
    }

    @Test
    void noCommandPrintsUsageOnStderrAndExits64() {
        assertEquals(ExitCodes.USAGE, t.run());
        assertTrue(t.err().contains("Usage: warden"), t.err());
    }

    @Test
    void argumentsSurviveTheNulJoinedEncoding() {
        assertArrayEquals(new String[0], WardenCli.decodeArgs("0", ""));
        assertArrayEquals(new String[]{""}, WardenCli.decodeArgs("1", ""));
        assertArrayEquals(new String[]{"inspect", "--bpf", "tcp port 80", ""},
                WardenCli.decodeArgs("4", String.join("\0", "inspect", "--bpf", "tcp port 80", "")));
    }
}
