package io.mcpwarden.siem;

import io.mcpwarden.model.WardenEvent;

import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained events/s to a TCP and a TLS destination (a loopback socket server counting bytes), with and
 * without the spool. Not a test: {@code java -cp … io.mcpwarden.siem.SiemBenchmark [events]}.
 */
public final class SiemBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
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
        for (int round = 0; round < 2; round++) { // round 0 warms up
            for (String mode : new String[] {"tcp", "tls"}) {
                for (boolean spool : new boolean[] {false, true}) {
                    ServerSocketFactory f = mode.equals("tls") ? ctx.getServerSocketFactory() : ServerSocketFactory.getDefault();
                    run(mode, spool, f, caPem, dir.resolve("spool-" + round + mode + spool), events,
                            round == 0 ? n / 5 : n, round == 1);
                }
            }
        }
    }

    private static void run(String mode, boolean spool, ServerSocketFactory f, Path caPem, Path spoolDir,
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
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                x.accept(events[i & 1023]);
            }
            long accepted = System.nanoTime();
            while (x.counters().get("siem.b.sent") < n) {
                Thread.sleep(1);
            }
            long done = System.nanoTime();
            DeliveryReport rep = x.close(Duration.ofSeconds(30));
            if (print) {
                double secs = (done - t0) / 1e9;
                System.out.printf("%-4s spool=%-5s %,9d events  %,8.0f events/s  %6.1f MB/s  (accept %,.0f/s)  dropped=%d%n",
                        mode, spool, n, n / secs, bytes.get() / secs / 1e6, n / ((accepted - t0) / 1e9),
                        rep.destinations().get(0).dropped());
            }
        }
    }
}
