package io.mcpwarden.capture;

import java.io.EOFException;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;

/**
 * Live capture on a network interface through libpcap (pcap4j). {@link #next(PacketRecord)} is called by one
 * reading thread; {@link #stop()} and {@link #counters()} may be called from any thread.
 */
public final class LiveCapture implements PacketSource {
    /** Largest snap length accepted. */
    public static final int MAX_SNAPLEN = CaptureFiles.MAX_CAPLEN;

    private final PcapHandle handle;
    private final String iface;
    private final int linkType;
    private volatile boolean stopped;
    private volatile Runnable tick;
    private volatile long lastTick = System.nanoTime();
    private Thread ticker;
    private volatile CaptureStatus status = CaptureStatus.OK;
    private volatile long delivered;
    private volatile PcapStat lastStats;

    private LiveCapture(PcapHandle handle, String iface, int linkType) {
        this.handle = handle;
        this.iface = iface;
        this.linkType = linkType;
    }

    /**
     * Opens a live capture.
     *
     * @param iface             interface name ({@code lo}, {@code eth0}, {@code any})
     * @param bpf               capture filter in BPF syntax, or null for all traffic
     * @param snaplen           bytes kept per frame (clamped to 1..{@link #MAX_SNAPLEN})
     * @param readTimeoutMillis how long one read blocks before {@link #next} checks for {@link #stop()}
     * @throws IOException with a one-line reason when libpcap is missing, the interface does not exist,
     *                     capturing is not permitted, or the filter does not compile
     */
    public static LiveCapture open(String iface, String bpf, int snaplen, int readTimeoutMillis) throws IOException {
        if (iface == null || iface.isBlank()) {
            throw new IOException("live capture: no interface given");
        }
        if (!"any".equals(iface)) {
            try {
                if (NetworkInterface.getByName(iface) == null) {
                    throw new IOException("live capture: no such interface '" + iface + "'");
                }
            } catch (SocketException e) {
                // fall through: libpcap will report a precise error
            }
        }
        int snap = Math.max(1, Math.min(snaplen, MAX_SNAPLEN));
        int timeout = Math.max(1, readTimeoutMillis);
        PcapHandle h;
        try {
            h = build(iface, snap, timeout, PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase().contains("precision")) {
                try {
                    h = build(iface, snap, timeout, PcapHandle.TimestampPrecision.MICRO);
                } catch (PcapNativeException e2) {
                    throw openFailure(iface, e2);
                }
            } else {
                throw openFailure(iface, e);
            }
        } catch (LinkageError e) {
            throw new IOException("live capture: libpcap is not available (" + oneLine(e.toString()) + ")");
        }
        try {
            if (bpf != null && !bpf.isBlank()) {
                h.setFilter(bpf, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            }
            return new LiveCapture(h, iface, h.getDlt().value());
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            h.close();
            throw new IOException("live capture on " + iface + ": invalid BPF filter '" + bpf + "': "
                    + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static PcapHandle build(String iface, int snap, int timeout, PcapHandle.TimestampPrecision precision)
            throws PcapNativeException {
        return new PcapHandle.Builder(iface)
                .snaplen(snap)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(timeout)
                .timestampPrecision(precision)
                .build();
    }

    private static IOException openFailure(String iface, PcapNativeException e) {
        String msg = oneLine(String.valueOf(e.getMessage()));
        String lower = msg.toLowerCase();
        if (lower.contains("permission") || lower.contains("not permitted")) {
            return new IOException("live capture on " + iface + ": permission denied (needs root or CAP_NET_RAW): " + msg);
        }
        if (lower.contains("no such device")) {
            return new IOException("live capture: no such interface '" + iface + "': " + msg);
        }
        return new IOException("live capture on " + iface + " failed: " + msg);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ').trim();
    }

    /** Interface this capture reads from. */
    public String iface() {
        return iface;
    }

    /** Link type of the frames (pcap LINKTYPE_* value). */
    public int linkType() {
        return linkType;
    }

    /**
     * {@inheritDoc} On a quiet interface libpcap may not return from a read at all (TPACKET_V3 retires no empty
     * block), so a daemon thread wakes the reader with pcap_breakloop when a second has passed without a tick.
     */
    @Override
    public synchronized void onTick(Runnable tick) {
        this.tick = tick;
        if (tick == null || ticker != null || stopped) {
            return;
        }
        Thread t = new Thread(this::wakeWhenQuiet, "warden-capture-tick-" + iface);
        t.setDaemon(true);
        ticker = t;
        t.start();
    }

    private void wakeWhenQuiet() {
        while (!stopped) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            if (!stopped && System.nanoTime() - lastTick >= 1_000_000_000L) {
                try {
                    handle.breakLoop(); // next() sees EOF, ticks, reads on
                } catch (NotOpenException | RuntimeException e) {
                    return;
                }
            }
        }
    }

    /** Runs the tick when a second has passed since the last one (after a packet or a read timeout). */
    private void tick() {
        long now = System.nanoTime();
        if (tick != null && now - lastTick >= 1_000_000_000L) {
            lastTick = now;
            tick.run();
        }
    }

    @Override
    public boolean next(PacketRecord into) throws IOException {
        while (!stopped) {
            byte[] raw;
            try {
                raw = handle.getNextRawPacketEx();
            } catch (TimeoutException e) {
                tick();
                continue;
            } catch (EOFException e) {
                if (stopped) {
                    return false;
                }
                tick();
                continue; // pcap_breakloop without stop() (the quiet-link ticker): keep reading
            } catch (NotOpenException e) {
                return false;
            } catch (PcapNativeException e) {
                if (stopped) {
                    return false;
                }
                status = new CaptureStatus("truncated", -1, "live capture error: " + oneLine(String.valueOf(e.getMessage())));
                throw new IOException("live capture on " + iface + ": " + oneLine(String.valueOf(e.getMessage())), e);
            }
            tick();
            int n = raw.length;
            if (into.data == null || into.data.length < n) {
                into.data = new byte[Math.max(n, 2048)];
            }
            System.arraycopy(raw, 0, into.data, 0, n);
            into.offset = 0;
            into.caplen = n;
            Integer orig = handle.getOriginalLength();
            into.origLen = orig == null ? n : orig;
            Timestamp ts = handle.getTimestamp();
            into.tsNanos = ts == null ? System.currentTimeMillis() * 1_000_000L
                    : Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
            into.linkType = linkType;
            into.fileOffset = -1;
            delivered++;
            return true;
        }
        return false;
    }

    /** Makes {@link #next} return false within the read timeout. Thread-safe, idempotent. */
    public void stop() {
        stopped = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException | RuntimeException e) {
            // already closed
        }
    }

    /** {@code received}, {@code dropped_kernel}, {@code dropped_interface} (pcap_stats) and {@code delivered}. */
    public Map<String, Long> counters() {
        PcapStat s = lastStats;
        if (handle.isOpen()) {
            try {
                s = handle.getStats();
                lastStats = s;
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                // keep the last known values
            }
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("received", s == null ? 0 : s.getNumPacketsReceived());
        m.put("dropped_kernel", s == null ? 0 : s.getNumPacketsDropped());
        m.put("dropped_interface", s == null ? 0 : s.getNumPacketsDroppedByIf());
        m.put("delivered", delivered);
        return m;
    }

    @Override
    public CaptureStatus status() {
        return status;
    }

    @Override
    public void close() {
        stop();
        Thread t;
        synchronized (this) {
            t = ticker;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000); // before the handle goes: the ticker must not break a closed handle
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (handle.isOpen()) {
            counters();
            handle.close();
        }
    }
}
