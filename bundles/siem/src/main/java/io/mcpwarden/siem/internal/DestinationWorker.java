package io.mcpwarden.siem.internal;

import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.siem.DestinationReport;
import io.mcpwarden.siem.SiemOptions;
import io.mcpwarden.siem.SyslogDestination;
import io.mcpwarden.siem.SyslogDestination.Transport;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivery to one destination. The pipeline thread only filters and enqueues ({@link #offer}); a writer
 * thread moves events from memory to the spool (tcp/tls with a spool directory) and a sender thread
 * writes them to the network, reconnecting with exponential backoff.
 *
 * <p>At-least-once over TCP/TLS: syslog has no acknowledgements, so a position in the spool is committed
 * only after the data written up to it has stayed on a live connection for the resend window; when the
 * connection is lost the sender goes back to the last committed position and sends again. Duplicates carry
 * the same {@code instance} and {@code seq} (the dedupe key).
 */
public final class DestinationWorker {
    private static final int BATCH_BYTES = 256 * 1024;
    /**
     * Events the spool writer takes from the queue at a time: one spool write (group commit) each. Small enough
     * that the batch's messages are still in the CPU cache when the sender copies them to the socket.
     */
    private static final int WRITER_BATCH = 256;

    private final SyslogDestination dest;
    private final SiemOptions options;
    private final String name;
    private final ArrayBlockingQueue<WardenEvent> queue;
    private final MessageFormatter formatter;
    private final Spool spool;
    private final String instance;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong pendingDropNotice = new AtomicLong();
    private volatile String lastError;
    private volatile boolean closing;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean writerDone;
    private Thread writer;
    private Thread sender;
    private long memSeq = 1;
    private long highestSent;

    public DestinationWorker(SyslogDestination dest, SiemOptions options, String hostname, String appName,
                             String version) {
        this.dest = dest;
        this.options = options;
        this.name = dest.name();
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        Spool s = null;
        if (options.spoolDir() != null && dest.transport() != Transport.UDP) {
            try {
                s = Spool.open(options.spoolDir().resolve(name), options.spoolCapBytes(),
                        options.fsyncInterval().toNanos());
            } catch (IOException | RuntimeException e) {
                error("spool unusable, delivering from memory without durability: " + e.getMessage());
            }
        }
        if (s != null && s.tornTail() != null) {
            error(s.tornTail().toString());
        }
        this.spool = s;
        this.instance = s != null ? s.id() : UUID.randomUUID().toString();
        this.formatter = new MessageFormatter(dest.format(), options.facility(), hostname, appName,
                ProcessHandle.current().pid(), instance, version);
        this.highestSent = s != null ? s.sendPosition().seq() - 1 : 0;
    }

    public String name() {
        return name;
    }

    /** The dedupe scope of this destination's sequence numbers. */
    public String instance() {
        return instance;
    }

    public void start() {
        if (spool != null) {
            writer = thread("siem-spool-" + name, this::spoolWriterLoop);
            sender = thread("siem-send-" + name, this::spoolSenderLoop);
        } else if (dest.transport() == Transport.UDP) {
            writerDone = true;
            sender = thread("siem-send-" + name, this::udpLoop);
        } else {
            writerDone = true;
            sender = thread("siem-send-" + name, this::memoryStreamLoop);
        }
    }

    private static Thread thread(String n, Runnable r) {
        Thread t = new Thread(r, n);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Filters and enqueues; never throws, waits at most a few milliseconds. */
    public void offer(WardenEvent e) {
        if (!dest.accepts(e.eventType(), Severity.of(e))) {
            return;
        }
        if (queue.offer(e)) {
            return;
        }
        if (spool != null) {
            try {
                if (queue.offer(e, 20, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            drop(1, "memory queue full: the spool writer is behind, newest event dropped");
        } else {
            if (queue.poll() != null) {
                drop(1, "memory queue full while the destination is away: oldest event dropped");
            }
            if (!queue.offer(e)) {
                drop(1, "memory queue full: event dropped");
            }
        }
    }

    private void drop(long n, String why) {
        dropped.addAndGet(n);
        pendingDropNotice.addAndGet(n);
        if (!why.equals(lastError)) {
            error(why);
        }
    }

    private void error(String why) {
        errors.incrementAndGet();
        lastError = why;
    }

    /**
     * Connecting a stream destination, shared by the spooled and the memory-only sender: the TLS factory made
     * once, exponential backoff between failed attempts (reset by a successful one), reconnects counted.
     */
    private final class Link {
        private SSLSocketFactory tls;
        private long backoff = options.backoffInitial().toNanos();
        private boolean everConnected;

        /** A new connection, or null after reporting the failure and waiting out the backoff. */
        StreamConnection connect() {
            try {
                if (dest.transport() == Transport.TLS && tls == null) {
                    tls = StreamConnection.tlsFactory(dest);
                }
                StreamConnection c = StreamConnection.open(dest, tls, (int) options.connectTimeout().toMillis());
                if (everConnected) {
                    reconnects.incrementAndGet();
                }
                everConnected = true;
                backoff = options.backoffInitial().toNanos();
                return c;
            } catch (Exception x) {
                error(StreamConnection.describe(x, dest));
                backOff();
                return null;
            }
        }

        /** Waits (bounded by the close deadline) and doubles the next wait, up to the maximum. */
        void backOff() {
            sleepUntil(Math.min(System.nanoTime() + backoff, deadlineNanos));
            backoff = Math.min(backoff * 2, options.backoffMax().toNanos());
        }
    }

    // ------------------------------------------------------------------ spooled tcp/tls

    private void spoolWriterLoop() {
        List<WardenEvent> batch = new ArrayList<>(WRITER_BATCH);
        while (true) {
            WardenEvent first;
            try {
                first = queue.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                first = null;
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, WRITER_BATCH - 1);
            }
            try {
                for (int i = 0; i < batch.size(); i++) {
                    try {
                        spool.append(formatter.format(batch.get(i), spool.nextSeq(), 0));
                    } catch (Spool.SpoolWriteException w) {
                        drop(w.records(), w.getMessage());
                    } catch (IOException | RuntimeException x) {
                        drop(1, "spool write failed: " + x.getMessage());
                    }
                }
                notices();
                spool.flush(false);
                String failed = spool.takeBackgroundFailure();
                if (failed != null) {
                    error(failed);
                }
            } catch (Spool.SpoolWriteException w) {
                drop(w.records(), w.getMessage());
            } catch (IOException | RuntimeException x) {
                error("spool write failed: " + x.getMessage());
            }
            if (!batch.isEmpty()) {
                batch.clear();
                LockSupport.unpark(sender);
            }
            if (closing && queue.isEmpty()) {
                try {
                    notices();
                    spool.flush(true);
                } catch (Spool.SpoolWriteException w) {
                    drop(w.records(), w.getMessage());
                } catch (IOException | RuntimeException x) {
                    error("spool flush failed: " + x.getMessage());
                }
                String failed = spool.takeBackgroundFailure();
                if (failed != null) {
                    error(failed);
                }
                writerDone = true;
                LockSupport.unpark(sender);
                return;
            }
        }
    }

    /** Appends a DROP message for events lost since the last one (memory queue, spool cap). */
    private void notices() throws IOException {
        long now = System.currentTimeMillis() * 1000;
        long n = pendingDropNotice.getAndSet(0);
        Spool.Drops d = spool.takeDrops();
        if (d != null) {
            dropped.addAndGet(d.count());
            if (d.count() > 0) {
                error("spool cap of " + options.spoolCapBytes() + " bytes reached: " + d.count()
                        + " oldest unsent messages dropped");
            }
            long events = d.count() + d.carried();
            spool.appendNotice(formatter.dropNotice(now, spool.nextSeq(), events, d.firstSeq(), d.lastSeq(),
                    "spool cap reached: oldest messages dropped"), events);
        }
        if (n > 0) {
            spool.appendNotice(formatter.dropNotice(now, spool.nextSeq(), n, 0, 0, "events dropped before the spool: "
                    + lastError), n);
        }
    }

    private void spoolSenderLoop() {
        StreamConnection conn = null;
        Link link = new Link();
        ArrayDeque<Object[]> window = new ArrayDeque<>(); // {Long nanos, Spool.Pos}
        List<byte[]> batch = new ArrayList<>(4096);
        long lastCommit = 0;
        long resendNanos = options.resendWindow().toNanos();
        while (true) {
            long now = System.nanoTime();
            if (closing && now - deadlineNanos >= 0) {
                break;
            }
            if (conn == null) {
                if (spool.unsent() == 0) {
                    if (writerDone) {
                        break;
                    }
                    LockSupport.parkNanos(5_000_000);
                    continue;
                }
                conn = link.connect();
                if (conn == null) {
                    continue;
                }
            }
            try {
                batch.clear();
                long firstSeq = spool.read(BATCH_BYTES, batch);
                if (batch.isEmpty()) {
                    conn.flush();
                    if (conn.dead()) {
                        throw new IOException(conn.deadReason());
                    }
                    now = System.nanoTime();
                    lastCommit = commit(window, now, resendNanos, lastCommit, false);
                    if (writerDone && spool.unsent() == 0) {
                        if (window.isEmpty() && spool.backlog() == 0) {
                            break;
                        }
                        if (!window.isEmpty() && now - ((Long) window.peekLast()[0] + resendNanos) >= 0) {
                            lastCommit = commit(window, now, resendNanos, lastCommit, true);
                            continue;
                        }
                    }
                    LockSupport.parkNanos(2_000_000);
                    continue;
                }
                for (int i = 0; i < batch.size(); i++) {
                    conn.write(batch.get(i));
                }
                conn.flush();
                long n = batch.size();
                sent.addAndGet(n);
                long last = firstSeq + n - 1;
                if (firstSeq <= highestSent) {
                    resent.addAndGet(Math.min(n, highestSent - firstSeq + 1));
                }
                highestSent = Math.max(highestSent, last);
                now = System.nanoTime();
                window.addLast(new Object[] {now, spool.sendPosition()});
                lastCommit = commit(window, now, resendNanos, lastCommit, false);
            } catch (IOException | RuntimeException x) {
                error((conn.dead() ? conn.deadReason() : "write to " + dest.host() + ":" + dest.port()
                        + " failed: " + x.getMessage()));
                conn.close();
                conn = null;
                window.clear();
                spool.rewind();
                link.backOff();
            }
        }
        if (conn != null) {
            conn.close();
        }
    }

    /** Commits the newest window entry older than the resend window (all of them when {@code all}). */
    private long commit(ArrayDeque<Object[]> window, long now, long resendNanos, long lastCommit, boolean all) {
        Spool.Pos p = null;
        while (!window.isEmpty() && (all || now - ((Long) window.peekFirst()[0] + resendNanos) >= 0)) {
            p = (Spool.Pos) window.pollFirst()[1];
        }
        if (p == null) {
            return lastCommit;
        }
        if (!all && now - lastCommit < 100_000_000L) { // at most ten position writes a second
            window.addFirst(new Object[] {now - resendNanos, p});
            return lastCommit;
        }
        try {
            spool.commit(p); // the position file is written in the background; failures reach the writer loop
        } catch (RuntimeException x) {
            error("spool position write failed: " + x.getMessage());
        }
        return now;
    }

    // ------------------------------------------------------------------ memory-only tcp/tls

    private void memoryStreamLoop() {
        StreamConnection conn = null;
        Link link = new Link();
        byte[] pending = null;
        while (true) {
            if (closing && System.nanoTime() - deadlineNanos >= 0) {
                break;
            }
            if (pending == null) {
                pending = nextMemoryMessage(0);
                if (pending == null) {
                    if (conn != null) {
                        try {
                            conn.flush();
                        } catch (IOException x) {
                            error("write to " + dest.host() + ":" + dest.port() + " failed: " + x.getMessage());
                            conn.close();
                            conn = null;
                        }
                    }
                    if (closing) {
                        break;
                    }
                    continue;
                }
            }
            if (conn == null) {
                conn = link.connect();
                if (conn == null) {
                    continue;
                }
            }
            try {
                conn.write(pending);
                sent.incrementAndGet();
                pending = null;
                if (queue.isEmpty()) {
                    conn.flush();
                }
            } catch (IOException x) {
                error(conn.dead() ? conn.deadReason() : "write to " + dest.host() + ":" + dest.port()
                        + " failed: " + x.getMessage());
                conn.close();
                conn = null;
            }
        }
        if (conn != null) {
            try {
                conn.flush();
            } catch (IOException x) {
                error("final flush failed: " + x.getMessage());
            }
            conn.close();
        }
        long left = queue.size() + (pending != null ? 1 : 0);
        queue.clear();
        if (left > 0) {
            dropped.addAndGet(left);
            error(left + " messages not delivered before close (no spool)");
        }
    }

    /** Next message from the memory queue (a DROP notice first when events were lost), or null after a short wait. */
    private byte[] nextMemoryMessage(int maxBytes) {
        long n = pendingDropNotice.getAndSet(0);
        if (n > 0) {
            return formatter.dropNotice(System.currentTimeMillis() * 1000, memSeq++, n, 0, 0,
                    "events dropped: " + lastError);
        }
        WardenEvent e;
        try {
            e = queue.poll(closing ? 0 : 20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            return null;
        }
        if (e == null) {
            return null;
        }
        try {
            return formatter.format(e, memSeq++, maxBytes);
        } catch (RuntimeException x) {
            error("cannot format " + e.eventType() + " event: " + x);
            dropped.incrementAndGet();
            return null;
        }
    }

    // ------------------------------------------------------------------ udp

    private void udpLoop() {
        DatagramChannel ch = null;
        ByteBuffer buf = ByteBuffer.allocate(options.udpMaxBytes());
        while (true) {
            if (closing && System.nanoTime() - deadlineNanos >= 0) {
                break;
            }
            byte[] m = nextMemoryMessage(options.udpMaxBytes());
            if (m == null) {
                if (closing && queue.isEmpty()) {
                    break;
                }
                continue;
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    if (ch == null) {
                        ch = DatagramChannel.open();
                        ch.connect(new InetSocketAddress(dest.host(), dest.port()));
                    }
                    buf.clear();
                    buf.put(m).flip();
                    ch.write(buf); // RFC 5426: one message per datagram
                    sent.incrementAndGet();
                    break;
                } catch (PortUnreachableException x) {
                    // the ICMP error belongs to an earlier datagram; this one was not sent: try once more
                    error("udp " + dest.host() + ":" + dest.port() + ": port unreachable (ICMP)");
                    if (attempt == 1) {
                        dropped.incrementAndGet();
                    }
                } catch (IOException | RuntimeException x) {
                    error("udp send to " + dest.host() + ":" + dest.port() + " failed: " + x);
                    dropped.incrementAndGet();
                    try {
                        if (ch != null) {
                            ch.close();
                        }
                    } catch (IOException ignore) {
                        // reopened next time
                    }
                    ch = null;
                    break;
                }
            }
        }
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignore) {
                // closing
            }
        }
        long left = queue.size();
        queue.clear();
        if (left > 0) {
            dropped.addAndGet(left);
            error(left + " messages not sent before close");
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private void sleepUntil(long until) {
        long d;
        while ((d = until - System.nanoTime()) > 0 && !(closing && System.nanoTime() - deadlineNanos >= 0)) {
            LockSupport.parkNanos(Math.min(d, 50_000_000L));
        }
    }

    /** Stops taking events; the threads finish delivery (or spooling) until the deadline. */
    public void beginClose(long deadline) {
        this.deadlineNanos = deadline;
        this.closing = true;
        LockSupport.unpark(sender);
    }

    /** Waits for the threads (bounded by the deadline plus a grace period) and reports. */
    public DestinationReport awaitClose(long deadline) {
        join(writer, deadline + 5_000_000_000L);
        join(sender, deadline + 2_000_000_000L);
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException | RuntimeException x) {
                error("spool close failed: " + x.getMessage());
            }
        }
        return report();
    }

    private static void join(Thread t, long deadline) {
        if (t == null) {
            return;
        }
        try {
            long ms = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            t.join(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    public DestinationReport report() {
        return new DestinationReport(name, dest.uri(), sent.get(), resent.get(),
                spool != null ? spool.backlog() + queue.size() : 0, dropped.get(), reconnects.get(), errors.get(),
                lastError);
    }

    public void counters(Map<String, Long> into) {
        String p = "siem." + name + ".";
        into.put(p + "sent", sent.get());
        into.put(p + "resent", resent.get());
        into.put(p + "queued", queue.size() + (spool != null ? spool.unsent() : 0));
        into.put(p + "spooled", spool != null ? spool.backlog() : 0);
        into.put(p + "dropped", dropped.get());
        into.put(p + "reconnects", reconnects.get());
        into.put(p + "errors", errors.get());
    }
}
