package io.mcpwarden.runtime;

import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.siem.DeliveryReport;
import io.mcpwarden.siem.DestinationReport;
import io.mcpwarden.siem.Format;
import io.mcpwarden.siem.ReloadableSiem;
import io.mcpwarden.siem.SiemExporter;
import io.mcpwarden.siem.SiemOptions;
import io.mcpwarden.siem.SyslogDestination;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The options that send events to SIEMs over syslog, shared by inspect and run. */
final class SyslogOptions {
    @Option(names = "--syslog", paramLabel = "URL",
            description = "Also send every event to a syslog receiver (repeatable): udp://HOST:PORT, "
                    + "tcp://HOST:PORT (octet-counted, RFC 6587) or tls://HOST:PORT (RFC 5425). TCP and TLS "
                    + "destinations go through a disk spool, so events survive the receiver being away.")
    List<String> urls = new ArrayList<>();

    @Option(names = "--syslog-format", paramLabel = "FORMAT", defaultValue = "rfc5424",
            description = "rfc5424 (structured data + the EVE JSON line as MSG) or cef (ArcSight CEF as MSG).")
    String format;

    @Option(names = "--syslog-ca", paramLabel = "FILE",
            description = "PEM file of the CA that signs the TLS receivers' certificates (default: the JDK's trust store).")
    Path ca;

    @Option(names = "--spool-dir", paramLabel = "DIR",
            defaultValue = "${sys:java.io.tmpdir}${sys:file.separator}mcp-warden-spool",
            description = "Disk spool for TCP and TLS destinations.")
    Path spoolDir;

    @Option(names = "--syslog-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "At the end, how long to wait for the receivers before leaving the rest in the spool.")
    int waitSeconds;

    /** How often 'run' looks at the configuration file (milliseconds). */
    static final long CONFIG_SCAN_MILLIS = Long.getLong("warden.config.scanMillis", 1000L);

    /** Starts the exporter, or returns null without destinations; throws IllegalArgumentException on a bad URL. */
    SiemExporter start() {
        if (urls.isEmpty()) {
            return null;
        }
        return SiemExporter.start(destinations(), options());
    }

    /** The --syslog destinations with --syslog-format and --syslog-ca; throws IllegalArgumentException. */
    List<SyslogDestination> destinations() {
        Format f = Format.parse(format);
        List<SyslogDestination> ds = new ArrayList<>();
        for (String u : urls) {
            SyslogDestination d = SyslogDestination.parse(u).withFormat(f);
            if (ca != null) {
                d = d.withCaFile(ca);
            }
            ds.add(d);
        }
        return ds;
    }

    /** The spool settings of --spool-dir (also the defaults of the configuration file's destinations). */
    SiemOptions options() {
        return SiemOptions.DEFAULTS.withSpool(spoolDir, SiemOptions.DEFAULTS.spoolCapBytes());
    }

    /**
     * The --syslog destinations plus those of the configuration file, which is watched (null: none); null when
     * there is neither. Throws IllegalArgumentException on a bad URL.
     */
    ReloadableSiem startReloadable(Path configFile, Consumer<String> log) {
        if (urls.isEmpty() && configFile == null) {
            return null;
        }
        return ReloadableSiem.start(destinations(), options(), configFile, Duration.ofMillis(CONFIG_SCAN_MILLIS), log);
    }

    /** Waits for delivery and prints one line per destination: what was sent, what stays spooled, what was lost. */
    static boolean finish(CliEnv env, String command, SiemExporter siem, int waitSeconds) {
        if (siem == null) {
            return true;
        }
        return report(env, command, siem.close(Duration.ofSeconds(Math.max(0, waitSeconds))));
    }

    /** {@link #finish(CliEnv, String, SiemExporter, int)} for the reloadable set of 'run'. */
    static boolean finish(CliEnv env, String command, ReloadableSiem siem, int waitSeconds) {
        if (siem == null) {
            return true;
        }
        return report(env, command, siem.close(Duration.ofSeconds(Math.max(0, waitSeconds))));
    }

    private static boolean report(CliEnv env, String command, DeliveryReport r) {
        boolean lost = false;
        for (DestinationReport d : r.destinations()) {
            env.err().println(command + ": syslog " + d.uri() + ": sent " + d.sent() + ", spooled " + d.spooled()
                    + (d.spooled() > 0 ? " (delivered on the next start)" : "") + ", dropped " + d.dropped()
                    + ", reconnects " + d.reconnects()
                    + (d.lastError() == null ? "" : ", last error: " + d.lastError()));
            lost |= d.dropped() > 0;
        }
        return !lost;
    }

    /** Sends every event to both sinks. */
    static EventSink tee(EventSink first, EventSink second) {
        if (second == null) {
            return first;
        }
        return new EventSink() {
            @Override
            public void accept(WardenEvent event) {
                first.accept(event);
                second.accept(event);
            }

            @Override
            public void flush() {
                first.flush();
                second.flush();
            }
        };
    }
}
