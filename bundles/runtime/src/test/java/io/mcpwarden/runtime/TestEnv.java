package io.mcpwarden.runtime;

import io.mcpwarden.pipeline.InspectionService;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A command environment that records what the commands print. */
final class TestEnv {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final ByteArrayOutputStream events = new ByteArrayOutputStream();
    final CliEnv env;

    TestEnv(InspectionService inspection, Path home) {
        env = new CliEnv(inspection, home, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), events, false,
                new CliEnv.FrameworkFacts("9.9.9", "Felix framework", "7.0.5", 3, 2));
    }

    int run(String... args) {
        return WardenCommand.execute(env, args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
