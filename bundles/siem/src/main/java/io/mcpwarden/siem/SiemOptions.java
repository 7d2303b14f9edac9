package io.mcpwarden.siem;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings shared by all destinations of one {@link SiemExporter}.
 *
 * @param spoolDir        directory of the disk spool for tcp/tls destinations (one subdirectory per
 *                        destination name); null = no spool (memory queue only, events are lost on restart)
 * @param spoolCapBytes   size cap of each destination's spool; when exceeded the oldest segment is dropped,
 *                        counted and reported by a {@code DROP} message
 * @param backoffInitial  first reconnect delay; doubles after each failure
 * @param backoffMax      reconnect delay cap
 * @param udpMaxBytes     largest UDP datagram (RFC 5426); longer messages are truncated and marked
 * @param hostname        HOSTNAME field; null = the local host name
 * @param appName         APP-NAME field; null = {@code mcp-warden}
 * @param facility        syslog facility number 0–23 (default 16 = local0)
 * @param queueCapacity   events held in memory per destination before the spool (or before dropping)
 * @param resendWindow    how long data written to a TCP/TLS connection stays eligible for re-sending after
 *                        the connection is lost (syslog over TCP has no acknowledgements)
 * @param connectTimeout  TCP connect and TLS handshake timeout
 * @param fsyncInterval   the spool is fsync'ed at most this often (and on close and segment roll)
 */
public record SiemOptions(Path spoolDir, long spoolCapBytes, Duration backoffInitial, Duration backoffMax,
                          int udpMaxBytes, String hostname, String appName, int facility, int queueCapacity,
                          Duration resendWindow, Duration connectTimeout, Duration fsyncInterval) {

    /** local0, no spool, 256 MiB cap, 0.5 s → 30 s backoff, 2048-byte datagrams. */
    public static final SiemOptions DEFAULTS = new SiemOptions(null, 256L << 20, Duration.ofMillis(500),
            Duration.ofSeconds(30), 2048, null, null, 16, 16_384, Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(1));

    public SiemOptions {
        if (spoolCapBytes < 4096) {
            throw new IllegalArgumentException("spool cap " + spoolCapBytes + " bytes is below 4096");
        }
        if (backoffInitial == null || backoffInitial.isNegative() || backoffInitial.isZero()) {
            throw new IllegalArgumentException("backoffInitial must be positive");
        }
        if (backoffMax == null || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax must be >= backoffInitial");
        }
        if (udpMaxBytes < 480 || udpMaxBytes > 65_507) {
            throw new IllegalArgumentException("udpMaxBytes " + udpMaxBytes + " out of range 480..65507 (RFC 5426)");
        }
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("facility " + facility + " out of range 0..23");
        }
        if (queueCapacity < 16) {
            throw new IllegalArgumentException("queueCapacity must be >= 16");
        }
        resendWindow = resendWindow == null ? Duration.ZERO : resendWindow;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        fsyncInterval = fsyncInterval == null ? Duration.ofSeconds(1) : fsyncInterval;
    }

    public SiemOptions withSpool(Path dir, long capBytes) {
        return new SiemOptions(dir, capBytes, backoffInitial, backoffMax, udpMaxBytes, hostname, appName, facility,
                queueCapacity, resendWindow, connectTimeout, fsyncInterval);
    }

    public SiemOptions withBackoff(Duration initial, Duration max) {
        return new SiemOptions(spoolDir, spoolCapBytes, initial, max, udpMaxBytes, hostname, appName, facility,
                queueCapacity, resendWindow, connectTimeout, fsyncInterval);
    }

    public SiemOptions withUdpMaxBytes(int bytes) {
        return new SiemOptions(spoolDir, spoolCapBytes, backoffInitial, backoffMax, bytes, hostname, appName, facility,
                queueCapacity, resendWindow, connectTimeout, fsyncInterval);
    }

    public SiemOptions withIdentity(String host, String app, int fac) {
        return new SiemOptions(spoolDir, spoolCapBytes, backoffInitial, backoffMax, udpMaxBytes, host, app, fac,
                queueCapacity, resendWindow, connectTimeout, fsyncInterval);
    }

    public SiemOptions withQueueCapacity(int events) {
        return new SiemOptions(spoolDir, spoolCapBytes, backoffInitial, backoffMax, udpMaxBytes, hostname, appName,
                facility, events, resendWindow, connectTimeout, fsyncInterval);
    }

    public SiemOptions withTimeouts(Duration resend, Duration connect) {
        return new SiemOptions(spoolDir, spoolCapBytes, backoffInitial, backoffMax, udpMaxBytes, hostname, appName,
                facility, queueCapacity, resend, connect, fsyncInterval);
    }

    public SiemOptions withFsyncInterval(Duration interval) {
        return new SiemOptions(spoolDir, spoolCapBytes, backoffInitial, backoffMax, udpMaxBytes, hostname, appName,
                facility, queueCapacity, resendWindow, connectTimeout, interval);
    }
}
