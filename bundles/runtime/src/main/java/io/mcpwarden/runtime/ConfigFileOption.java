package io.mcpwarden.runtime;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --config FILE}: the appliance's configuration file (YAML), shared by run and config check. */
final class ConfigFileOption {
    /** Where the package installs the file. */
    static final Path DEFAULT = Path.of("/etc/mcp-warden/warden.conf");

    @Option(names = "--config", paramLabel = "FILE", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "The appliance's configuration file (YAML; its 'syslog' section lists SIEM destinations, "
                    + "in addition to --syslog). 'run' watches it and applies a change without a restart. "
                    + "Default: /etc/mcp-warden/warden.conf when it exists.")
    Path file;

    /** The file to use: the one given, else the default when it exists, else null. */
    Path resolve() {
        if (file != null) {
            return file;
        }
        return Files.exists(DEFAULT) ? DEFAULT : null;
    }

    /** Null when usable, else why not (only an explicit file can be missing). */
    String problem() {
        if (file != null && !Files.exists(file)) {
            return "--config " + file + ": no such file";
        }
        return null;
    }
}
