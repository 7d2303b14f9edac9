package io.mcpwarden.siem;

import io.mcpwarden.model.WardenEvent;

import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Sustained events/s to a TCP and a TLS destination (a loopback socket server counting bytes), with and
 * without the spool. Not a test:
 * {@code java -cp … io.mcpwarden.siem.SiemBenchmark [events [runs [configs]]]}, e.g.
 * {@code SiemBenchmark 300000 5 tcp,tcp+spool}. One warm-up round of the same size (not printed: the JIT
 * compiles most of the code in it), then {@code runs} rounds (default 3) with the configurations interleaved,
 * each printed; finally the median per configuration and the spool overhead
 * {@code 1 - median(with spool) / median(without)}. Each run also prints the CPU time the exporter's own
 * threads ({@code siem-*}) spent per event: unlike events/s it does not depend on what else the machine runs,
 * and its overhead {@code 1 - median(cpu without) / median(cpu with)} is what the spool costs on one core. The
 * medians line also splits it by thread ({@code siem-spool} formats and spools, {@code siem-send} sends,
 * {@code siem-spool-io} fsyncs, {@code siem-watch} watches the connection).
 */
public final class SiemBenchmark {
    private static final List<String> ALL = List.of("tcp", "tcp+spool", "tls", "tls+spool");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * One run: events/s, and CPU nanoseconds of the exporter's threads per event, in all and by thread (the name
     * without the destination, e.g. {@code siem-spool}, {@code siem-send}, {@code siem-spool-io}).
     */
    private record Result(double rate, double cpuPerEvent, Map<String, Double> byThread) {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> configs = args.length > 2 ? List.of(args[2].split(",")) : ALL;
        for (String c : configs) {
            if (!ALL.contains(c)) {
                throw new IllegalArgumentException("unknown configuration '" + c + "' (known: " + ALL + ")");
            }
        }
        TestCerts ca = TestCerts.ca("Bench CA");
        TestCerts leaf = ca.leaf("localhost", "localhost");
        Path dir = Files.createTempDirectory("siem-bench");
        Path caPem = ca.writeCert(dir.resolve("ca.pem"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", leaf.key.getPrivate(), "x".toCharArray(), new Certificate[] {leaf.cert, ca.cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        WardenEvent[] events = new WardenEvent[1024];
        for (int i = 0; i < events.length; i++) {
            events[i] = OutageTest.event(i);
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> threads = new LinkedHashMap<>();
        try {
            for (int round = 0; round <= runs; round++) { // round 0 warms up
                for (String c : configs) {
                    String mode = c.startsWith("tls") ? "tls" : "tcp";
                    boolean spool = c.endsWith("+spool");
                    ServerSocketFactory f = mode.equals("tls") ? ctx.getServerSocketFactory()
                            : ServerSocketFactory.getDefault();
                    Path spoolDir = dir.resolve("spool-" + round + "-" + mode);
                    Result r = run(mode, spool, f, caPem, spoolDir, events, n, round > 0);
                    deleteTree(spoolDir);
                    if (round > 0) {
                        rates.computeIfAbsent(c, k -> new ArrayList<>()).add(r.rate());
                        cpu.computeIfAbsent(c, k -> new ArrayList<>()).add(r.cpuPerEvent());
                        for (Map.Entry<String, Double> e : r.byThread().entrySet()) {
                            threads.computeIfAbsent(c, k -> new TreeMap<>())
                                    .computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                        }
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
        System.out.printf("medians of %d runs:%n", runs);
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            System.out.printf("  %-9s %,9.0f events/s  cpu %.2f µs/event", e.getKey(), median(e.getValue()),
                    median(cpu.get(e.getKey())) / 1000);
            for (Map.Entry<String, List<Double>> t : threads.getOrDefault(e.getKey(), Map.of()).entrySet()) {
                System.out.printf("  %s %.2f", t.getKey(), median(t.getValue()) / 1000);
            }
            System.out.println();
        }
        for (String mode : new String[] {"tcp", "tls"}) {
            if (rates.containsKey(mode) && rates.containsKey(mode + "+spool")) {
                System.out.printf("  %s spool overhead %.1f %% (events/s), %.1f %% (cpu per event)%n", mode,
                        100 * (1 - median(rates.get(mode + "+spool")) / median(rates.get(mode))),
                        100 * (1 - median(cpu.get(mode)) / median(cpu.get(mode + "+spool"))));
            }
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            w.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A live thread of the exporter: its name without the destination name, and the CPU nanoseconds it used. */
    private record ThreadCpu(String group, long nanos) {
    }

    /** CPU used so far by the live threads named {@code siem-*} (the exporter's), by thread id. */
    private static Map<Long, ThreadCpu> exporterCpu() {
        Map<Long, ThreadCpu> m = new LinkedHashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("siem-")) {
                long c = THREADS.getThreadCpuTime(t.getThreadId());
                if (c >= 0) {
                    String n = t.getThreadName();
                    m.put(t.getThreadId(), new ThreadCpu(n.substring(0, n.lastIndexOf('-')), c));
                }
            }
        }
        return m;
    }

    /** One configuration: {@code n} events accepted at once, timed until the last is sent. */
    private static Result run(String mode, boolean spool, ServerSocketFactory f, Path caPem, Path spoolDir,
                              WardenEvent[] events, int n, boolean print) throws Exception {
        AtomicLong bytes = new AtomicLong();
        try (ServerSocket ss = f.createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    byte[] b = new byte[1 << 16];
                    int r;
                    while ((r = in.read(b)) >= 0) {
                        bytes.addAndGet(r);
                    }
                } catch (Exception ignore) {
                    // end of run
                }
            });
            t.setDaemon(true);
            t.start();
            SyslogDestination d = SyslogDestination.parse(mode + "://localhost:" + ss.getLocalPort() + "?name=b");
            if (mode.equals("tls")) {
                d = d.withCaFile(caPem);
            }
            SiemOptions o = SiemOptions.DEFAULTS.withIdentity("bench", null, 16).withQueueCapacity(1 << 20)
                    .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(5))
                    .withSpool(spool ? spoolDir : null, 1L << 30);
            SiemExporter x = SiemExporter.start(List.of(d), o);
            Map<Long, ThreadCpu> cpu0 = exporterCpu();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                x.accept(events[i & 1023]);
            }
            long accepted = System.nanoTime();
            while (x.counters().get("siem.b.sent") < n) {
                Thread.sleep(1);
            }
            long done = System.nanoTime();
            long cpuNanos = 0;
            Map<String, Double> byThread = new TreeMap<>();
            for (Map.Entry<Long, ThreadCpu> e : exporterCpu().entrySet()) {
                ThreadCpu before = cpu0.get(e.getKey());
                long used = e.getValue().nanos() - (before != null ? before.nanos() : 0);
                cpuNanos += used;
                byThread.merge(e.getValue().group(), (double) used / n, Double::sum);
            }
            DeliveryReport rep = x.close(Duration.ofSeconds(30));
            double secs = (done - t0) / 1e9;
            if (print) {
                System.out.printf("%-4s spool=%-5s %,9d events  %,8.0f events/s  %6.1f MB/s  (accept %,.0f/s)  dropped=%d"
                                + "  cpu %.2f µs/event%n", mode, spool, n, n / secs, bytes.get() / secs / 1e6,
                        n / ((accepted - t0) / 1e9), rep.destinations().get(0).dropped(), cpuNanos / 1e3 / n);
            }
            return new Result(n / secs, (double) cpuNanos / n, byThread);
        }
    }
}
