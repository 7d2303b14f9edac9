package io.mcpwarden.siem;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslogd started by a test: foreground child process with its own config, pid file, work directory
 * and output file in a temp directory, listening on free loopback ports. Each output line is what rsyslog's
 * RFC 5424 parser saw: {@code pri #|# timestamp #|# hostname #|# app #|# procid #|# msgid #|# raw SD #|#
 * SD as JSON (mmpstrucdata) #|# msg}.
 */
final class Rsyslog implements AutoCloseable {
    static final String RSYSLOGD = "/usr/sbin/rsyslogd";
    static final String SEP = "#|#";

    final Path dir;
    final Path out;
    final int udpPort;
    final int tcpPort;
    private final Path conf;
    private Process process;

    /** TLS settings of the tcp input, or null for plain TCP. */
    record Tls(Path ca, Path cert, Path key, String authMode) {
    }

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(RSYSLOGD)),
                "rsyslogd is not installed (" + RSYSLOGD + "): install the rsyslog package to run the SIEM tests");
    }

    /** Fails (not skips) without the TLS driver: CI installs rsyslog-gnutls. */
    static void requireGnuTls() {
        for (String d : new String[] {"/usr/lib/x86_64-linux-gnu/rsyslog", "/usr/lib/aarch64-linux-gnu/rsyslog",
                "/usr/lib/rsyslog", "/usr/lib64/rsyslog"}) {
            if (Files.exists(Path.of(d, "lmnsd_gtls.so"))) {
                return;
            }
        }
        throw new AssertionError("rsyslog TLS driver lmnsd_gtls.so missing: install the rsyslog-gnutls package");
    }

    Rsyslog(Path dir, Tls tls) throws IOException {
        assumeInstalled();
        if (tls != null) {
            requireGnuTls();
        }
        this.dir = dir;
        Files.createDirectories(dir.resolve("work"));
        this.out = dir.resolve("out.log");
        this.udpPort = freeUdpPort();
        this.tcpPort = freeTcpPort();
        this.conf = dir.resolve("rsyslog.conf");
        StringBuilder c = new StringBuilder();
        c.append("global(workDirectory=\"").append(dir.resolve("work")).append("\" maxMessageSize=\"64k\"");
        if (tls != null) {
            c.append(" DefaultNetstreamDriverCAFile=\"").append(tls.ca()).append('"')
                    .append(" DefaultNetstreamDriverCertFile=\"").append(tls.cert()).append('"')
                    .append(" DefaultNetstreamDriverKeyFile=\"").append(tls.key()).append('"');
        }
        c.append(")\n");
        c.append("module(load=\"imudp\")\n");
        if (tls != null) {
            c.append("module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"")
                    .append(tls.authMode()).append("\")\n");
        } else {
            c.append("module(load=\"imtcp\")\n");
        }
        c.append("module(load=\"mmpstrucdata\")\n");
        c.append("template(name=\"t\" type=\"string\" string=\"%pri%#|#%timereported:::date-rfc3339%#|#%hostname%")
                .append("#|#%app-name%#|#%procid%#|#%msgid%#|#%structured-data%#|#%$!rfc5424-sd%#|#%msg%\\n\")\n");
        c.append("ruleset(name=\"r\") {\n  action(type=\"mmpstrucdata\")\n  action(type=\"omfile\" file=\"")
                .append(out).append("\" template=\"t\")\n}\n");
        c.append("input(type=\"imudp\" port=\"").append(udpPort).append("\" address=\"127.0.0.1\" ruleset=\"r\")\n");
        c.append("input(type=\"imtcp\" port=\"").append(tcpPort).append("\" address=\"127.0.0.1\" ruleset=\"r\")\n");
        Files.writeString(conf, c.toString());
    }

    Rsyslog start() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(RSYSLOGD, "-n", "-f", conf.toString(), "-i",
                dir.resolve("rsyslogd.pid").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.stdout").toFile()));
        process = pb.start();
        try {
            awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(); // never leave a receiver behind
            throw e;
        }
        return this;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("rsyslogd exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("rsyslogd.stdout")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", tcpPort), 200);
                Thread.sleep(50); // udp input starts with the tcp one
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("rsyslogd did not listen on " + tcpPort + " within 10 s: " + stdout());
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: rsyslog shuts down in order
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        process = null;
    }

    List<String> lines() throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        List<String> l = new ArrayList<>();
        for (String s : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (!s.isEmpty()) {
                l.add(s);
            }
        }
        return l;
    }

    /** Waits until at least n lines are in the output (or the timeout), returns them. */
    List<String> await(int n, Duration timeout) throws IOException, InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        List<String> l = lines();
        while (l.size() < n && System.nanoTime() < until) {
            Thread.sleep(50);
            l = lines();
        }
        return l;
    }

    String stdout() throws IOException {
        Path p = dir.resolve("rsyslogd.stdout");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One parsed output line. */
    record Line(int pri, String timestamp, String hostname, String app, String procid, String msgid, String sd,
                String sdJson, String msg) {
        static Line parse(String s) {
            String[] f = s.split("#\\|#", 9);
            if (f.length != 9) {
                throw new AssertionError("rsyslog output line has " + f.length + " fields: " + s);
            }
            return new Line(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]);
        }
    }
}
