package io.mcpwarden.runtime;

import io.mcpwarden.capture.CaptureStatus;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StatusAndConfigTest {
    @TempDir
    Path tmp;

    private StatusFile status(Path f) {
        return new StatusFile(f, RunControl.NONE, "eth9", "tcp", null, null,
                () -> Map.of("dropped_kernel", 4L), () -> List.of("warden-pipeline 0.1.0 ACTIVE"));
    }

    private static InspectionSummary summary() {
        return new InspectionSummary(120, 9000, -1, -1, 7, Map.of("mcp", 2L), 1_000_000, CaptureStatus.OK, Map.of());
    }

    @Test
    void statusOfARunningApplianceThenOfAStoppedOne() throws Exception {
        Path f = tmp.resolve("status.json");
        StatusFile s = status(f);
        s.write("running", summary());
        TestEnv t = new TestEnv(null, tmp);
        assertEquals(ExitCodes.OK, t.run("status", "--status-file", f.toString()));
        String out = t.out();
        assertTrue(out.startsWith("mcp-warden: running"), out);
        assertTrue(out.contains("eth9") && out.contains("120 packets") && out.contains("dropped_kernel=4")
                && out.contains("mcp=2") && out.contains("warden-pipeline 0.1.0 ACTIVE"), out);
        s.stop(summary());
        TestEnv t2 = new TestEnv(null, tmp);
        assertEquals(StatusCommand.NOT_RUNNING, t2.run("status", "--status-file", f.toString()));
        assertTrue(t2.out().startsWith("mcp-warden: not running (state stopped"), t2.out());
        assertFalse(Files.exists(tmp.resolve("status.json.tmp")), "written through a temporary file, then renamed");
    }

    @Test
    void noStatusFileMeansNotRunningAndGarbageIsAnError() throws Exception {
        TestEnv t = new TestEnv(null, tmp);
        assertEquals(StatusCommand.NOT_RUNNING, t.run("status", "--status-file", tmp.resolve("none.json").toString()));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{not json");
        TestEnv t2 = new TestEnv(null, tmp);
        assertEquals(ExitCodes.IO_ERROR, t2.run("status", "--status-file", bad.toString()));
        assertTrue(t2.err().contains("cannot read"), t2.err());
    }

    @Test
    void configCheckReportsEachItem() {
        TestEnv t = new TestEnv(null, tmp);
        int code = t.run("config", "check", "--no-rules", "--interface", "lo", "--syslog", "tcp://127.0.0.1:6514",
                "--syslog", "http://siem", "--spool-dir", tmp.resolve("spool").toString());
        String out = t.out();
        assertEquals(ExitCodes.IO_ERROR, code, out);
        assertTrue(out.contains("OK   rules      not used"), out);
        assertTrue(out.contains("OK   interface  lo exists"), out);
        assertTrue(out.contains("FAIL syslog     http://siem: "), out);
        assertTrue(out.contains("OK   syslog     tcp://127.0.0.1:6514"), out);
        assertTrue(out.contains("config check: 1 problem(s)"), out);
    }

    @Test
    void configCheckOfAMissingInterfaceAndRulesWithoutTheEngine() {
        TestEnv t = new TestEnv(null, tmp);
        assertEquals(ExitCodes.IO_ERROR, t.run("config", "check", "--interface", "no-such-if0"));
        assertTrue(t.out().contains("FAIL interface  no-such-if0 does not exist"), t.out());
        assertTrue(t.out().contains("FAIL rules      the policy engine bundle is not running"), t.out());
    }
}
