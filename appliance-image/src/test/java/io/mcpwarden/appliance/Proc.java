package io.mcpwarden.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A finished child process: exit code, standard output and standard error. */
record Proc(int exit, String out, String err) {

    /** Runs a command with no standard input and a time limit; output is collected through files. */
    static Proc run(List<String> cmd, Map<String, String> env, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("warden-out", ".txt");
            Path err = Files.createTempFile("warden-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd
                            + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + cmd, e);
        }
    }

    static Proc run(String... cmd) {
        return run(List.of(cmd), Map.of(), 120);
    }

    /** Fails with the command's output unless it exited 0. */
    Proc ok(String what) {
        if (exit != 0) {
            throw new AssertionError(what + " exited " + exit + "\nstdout: " + out + "\nstderr: " + err);
        }
        return this;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }
}
