package io.mcpwarden.siem;

import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.siem.internal.DestinationWorker;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends every event to one or more syslog destinations (RFC 5424 or CEF over UDP, TCP or TLS).
 *
 * <p>{@link #accept} only filters and enqueues (bounded memory queue per destination; it waits at most
 * ~20 ms when a spooled destination's queue is full) and never throws. Per destination, background threads
 * format, spool (tcp/tls with {@link SiemOptions#spoolDir()}) and send. {@link #close(Duration)} waits until
 * every event is delivered or safely on disk and reports which.
 */
public final class SiemExporter implements EventSink {
    private final List<DestinationWorker> workers;
    private final AtomicLong acceptErrors = new AtomicLong();
    private volatile boolean closed;
    private DeliveryReport finalReport;

    private SiemExporter(List<DestinationWorker> workers) {
        this.workers = workers;
    }

    /**
     * Opens the spools (replaying what a previous run left there) and starts delivery.
     *
     * @throws IllegalArgumentException when two destinations share a name (add {@code ?name=} to one)
     */
    public static SiemExporter start(List<SyslogDestination> destinations, SiemOptions options) {
        SiemOptions o = options == null ? SiemOptions.DEFAULTS : options;
        Set<String> names = new HashSet<>();
        for (SyslogDestination d : destinations) {
            if (!names.add(d.name())) {
                throw new IllegalArgumentException("two syslog destinations are named '" + d.name()
                        + "': give one a ?name=… parameter");
            }
        }
        String host = o.hostname() != null ? o.hostname() : localHostName();
        String app = o.appName() != null ? o.appName() : "mcp-warden";
        String version = SiemExporter.class.getPackage().getImplementationVersion();
        List<DestinationWorker> ws = new ArrayList<>();
        for (SyslogDestination d : destinations) {
            ws.add(new DestinationWorker(d, o, host, app, version != null ? version : "0.1.0"));
        }
        for (DestinationWorker w : ws) {
            w.start();
        }
        return new SiemExporter(List.copyOf(ws));
    }

    private static String localHostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h == null || h.isEmpty() ? "-" : h;
        } catch (Exception e) {
            return "-";
        }
    }

    /** Hands the event to every destination whose filter takes it. Never throws; ignored after close. */
    @Override
    public void accept(WardenEvent event) {
        if (closed || event == null) {
            return;
        }
        for (DestinationWorker w : workers) {
            try {
                w.offer(event);
            } catch (Throwable t) {
                acceptErrors.incrementAndGet();
            }
        }
    }

    /** Delivery is continuous; nothing to push. */
    @Override
    public void flush() {
    }

    /** {@link #close(Duration)} with 10 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Stops accepting events and waits up to {@code timeout} until every queued event is delivered (or, for
     * spooled destinations, on disk for the next start).
     */
    public synchronized DeliveryReport close(Duration timeout) {
        if (finalReport != null) {
            return finalReport;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        beginClose(deadline);
        return awaitClose(deadline);
    }

    /** Stops accepting events and lets every destination finish until {@code deadline} (System.nanoTime). */
    synchronized void beginClose(long deadline) {
        if (closed) {
            return;
        }
        closed = true;
        for (DestinationWorker w : workers) {
            w.beginClose(deadline);
        }
    }

    /** After {@link #beginClose}: waits for the destinations (bounded by the deadline) and reports. */
    synchronized DeliveryReport awaitClose(long deadline) {
        if (finalReport != null) {
            return finalReport;
        }
        List<DestinationReport> r = new ArrayList<>();
        for (DestinationWorker w : workers) {
            r.add(w.awaitClose(deadline));
        }
        finalReport = new DeliveryReport(r);
        return finalReport;
    }

    /** The delivery state now, without closing. */
    public DeliveryReport report() {
        List<DestinationReport> r = new ArrayList<>();
        for (DestinationWorker w : workers) {
            r.add(w.report());
        }
        return new DeliveryReport(r);
    }

    /**
     * Counters per destination: {@code siem.<name>.sent}, {@code .resent}, {@code .queued} (in memory and
     * unsent on disk), {@code .spooled} (on disk, not yet confirmed), {@code .dropped}, {@code .reconnects},
     * {@code .errors}.
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        for (DestinationWorker w : workers) {
            w.counters(m);
        }
        return m;
    }

    /** The dedupe scope ({@code instance} SD-PARAM) of a destination's sequence numbers, or null. */
    public String instance(String destinationName) {
        for (DestinationWorker w : workers) {
            if (w.name().equals(destinationName)) {
                return w.instance();
            }
        }
        return null;
    }
}
