package io.mcpwarden.siem;

import io.mcpwarden.siem.internal.ConfigParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code syslog} section of the appliance's configuration file (YAML):
 * <pre>
 * syslog:
 *   spool_dir: /var/lib/mcp-warden/spool   # optional; default: the command line's --spool-dir
 *   spool_cap_mb: 256                      # optional; per destination
 *   destinations:
 *     - url: tls://siem.example:6514       # udp:// tcp:// tls://, no query part
 *       name: siem-primary                 # optional; default scheme_host_port
 *       format: rfc5424                    # or cef
 *       ca: /etc/mcp-warden/siem-ca.pem    # tls only; also cert + key
 *       event_types: [mcp, verdict]        # default: all
 *       min_severity: notice               # emerg … debug or 0–7; default debug (everything)
 * </pre>
 * Relative paths are taken relative to the file's directory. An empty file (or one with comments only) is a
 * valid configuration without destinations.
 *
 * @param spoolDir      the file's {@code spool_dir}, or null (use the caller's)
 * @param spoolCapBytes the file's {@code spool_cap_mb} in bytes, or 0 (use the caller's)
 * @param destinations  the destinations in file order, each with the place it was written
 */
public record SiemConfig(Path spoolDir, long spoolCapBytes, List<Entry> destinations) {

    /** Largest configuration file read. */
    public static final int MAX_BYTES = 1 << 20;

    /** A configured destination and where it starts in the file (1-based line and column). */
    public record Entry(SyslogDestination destination, int line, int column) {
    }

    public SiemConfig {
        destinations = List.copyOf(destinations);
    }

    /** No section, no destinations. */
    public static final SiemConfig EMPTY = new SiemConfig(null, 0, List.of());

    /**
     * Reads and checks a configuration file (also that the ca/cert/key files it names are readable).
     *
     * @throws SiemConfigException naming file, line, column and the problem
     */
    public static SiemConfig read(Path file) throws SiemConfigException {
        byte[] content;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new SiemConfigException(file.toString(), 0, 0, "larger than " + MAX_BYTES + " bytes");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SiemConfigException(file.toString(), 0, 0, "no such file");
        } catch (IOException e) {
            throw new SiemConfigException(file.toString(), 0, 0, "cannot be read: " + e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(file.toString(), content, dir);
    }

    /**
     * Parses configuration text. Relative paths are resolved against {@code baseDir}.
     *
     * @param fileName used in error messages
     * @throws SiemConfigException naming file, line, column and the problem
     */
    public static SiemConfig parse(String fileName, byte[] content, Path baseDir) throws SiemConfigException {
        return ConfigParser.parse(fileName, content, baseDir);
    }

    /** The destinations without their places. */
    public List<SyslogDestination> syslogDestinations() {
        return destinations.stream().map(Entry::destination).toList();
    }

    /** {@code base} with this file's spool directory and cap, where given. */
    public SiemOptions options(SiemOptions base) {
        SiemOptions b = base == null ? SiemOptions.DEFAULTS : base;
        return b.withSpool(spoolDir != null ? spoolDir : b.spoolDir(), spoolCapBytes > 0 ? spoolCapBytes : b.spoolCapBytes());
    }
}
