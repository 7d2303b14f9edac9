package io.mcpwarden.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    static final Path SHARED = Path.of(System.getProperty("warden.shared", "/work/shared"));
    static final Path ROBUSTNESS = SHARED.resolve("corpus/robustness");
    static final Path MCP = SHARED.resolve("corpus/mcp");
    static final Path TSHARK = Path.of("/usr/bin/tshark");

    record Tally(long packets, long tcp, long udp, List<Long> timestamps, CaptureStatus status, DecodeStats stats) {
    }

    static Tally run(Path file) throws IOException {
        PacketDecoder dec = new PacketDecoder();
        DecodedPacket out = new DecodedPacket();
        PacketRecord rec = new PacketRecord();
        List<Long> ts = new ArrayList<>();
        long packets = 0;
        long tcp = 0;
        long udp = 0;
        try (PacketSource src = CaptureFiles.open(file)) {
            long last = -1;
            while (src.next(rec)) {
                packets++;
                ts.add(rec.tsNanos);
                assertTrue(rec.caplen >= 0 && rec.caplen <= CaptureFiles.MAX_CAPLEN);
                assertTrue(src.position() > last && src.position() <= src.size(), "position advances");
                last = src.position();
                if (dec.decode(rec, out)) {
                    if (out.protocol == DecodedPacket.PROTO_TCP) {
                        tcp++;
                    } else {
                        udp++;
                    }
                    assertTrue(out.payloadLength >= 0);
                    assertTrue(out.payloadOffset >= 0 && out.payloadOffset + out.payloadLength <= out.payload.length);
                }
            }
            return new Tally(packets, tcp, udp, ts, src.status(), dec.stats());
        }
    }

    @Test
    void everyRobustnessFileReadsAndDecodesWithinBounds() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(ROBUSTNESS), "robustness corpus missing at " + ROBUSTNESS);
        List<Path> files;
        try (Stream<Path> s = Files.list(ROBUSTNESS)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pcap") || n.endsWith(".pcapng");
            }).sorted().toList();
        }
        assertTrue(files.size() > 600, "corpus has " + files.size() + " captures");
        long ok = 0;
        long truncated = 0;
        long notCapture = 0;
        long packets = 0;
        long tcp = 0;
        long udp = 0;
        long fragments = 0;
        long reassembled = 0;
        StringBuilder report = new StringBuilder("file\tstate\tpackets\ttcp\tudp\tmessage\n");
        for (Path f : files) {
            Tally t;
            try {
                t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run(f), f.getFileName().toString());
            } catch (Exception e) {
                if (!(e instanceof CaptureFormatException)) {
                    throw new AssertionError(f + ": unexpected " + e, e);
                }
                notCapture++;
                report.append(f.getFileName()).append("\tnot-a-capture\t0\t0\t0\t").append(e.getMessage()).append('\n');
                continue;
            }
            assertEquals(0, t.stats().decodeErrors(), f + ": decoder internal errors");
            assertEquals(t.packets(), t.stats().packets());
            if (t.status().ok()) {
                ok++;
            } else {
                assertEquals("truncated", t.status().state(), f.toString());
                assertNotNull(t.status().message());
                assertTrue(t.status().offset() >= 0, f + " " + t.status());
                truncated++;
            }
            report.append(f.getFileName()).append('\t').append(t.status().state()).append('\t').append(t.packets())
                    .append('\t').append(t.tcp()).append('\t').append(t.udp()).append('\t')
                    .append(t.status().message() == null ? "" : t.status().message()).append('\n');
            packets += t.packets();
            tcp += t.tcp();
            udp += t.udp();
            fragments += t.stats().ipv4Fragments() + t.stats().ipv6Fragments();
            reassembled += t.stats().reassembled();
        }
        System.out.printf("robustness corpus: %d files: %d ok, %d truncated, %d not a capture; %d packets, "
                        + "%d TCP, %d UDP decoded; %d fragments, %d datagrams reassembled%n",
                files.size(), ok, truncated, notCapture, packets, tcp, udp, fragments, reassembled);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "robustness-tally.tsv"), report);
        assertEquals(files.size(), ok + truncated + notCapture);
        assertTrue(packets > 5_000, "packets read: " + packets);
        assertTrue(tcp > 1_000 && udp > 1_000, "decoded: " + tcp + " TCP, " + udp + " UDP");
    }

    private static List<String> tshark(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TSHARK.toString(), "-n", "-r", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] outBytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        String s = new String(outBytes, StandardCharsets.UTF_8);
        return s.isBlank() ? List.of() : List.of(s.strip().split("\n"));
    }

    @Test
    void mcpCapturesAgreeWithTshark() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TSHARK), "tshark not installed at " + TSHARK + ": skipping comparison");
        List<Path> files;
        try (Stream<Path> s = Files.list(MCP)) {
            files = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no captures in " + MCP);
        for (Path f : files) {
            Tally t = run(f);
            List<String> times = tshark(f, "-T", "fields", "-e", "frame.time_epoch");
            int tcp = tshark(f, "-Y", "tcp", "-T", "fields", "-e", "frame.number").size();
            int udp = tshark(f, "-Y", "udp", "-T", "fields", "-e", "frame.number").size();
            String name = f.getFileName().toString();
            assertTrue(t.status().ok(), name + " " + t.status());
            assertEquals(times.size(), t.packets(), name + " packets");
            assertEquals(tcp, t.tcp(), name + " tcp");
            assertEquals(udp, t.udp(), name + " udp");
            for (int i = 0; i < times.size(); i++) {
                long nanos = new BigDecimal(times.get(i).strip()).movePointRight(9).longValueExact();
                assertEquals(nanos, t.timestamps().get(i), name + " frame " + (i + 1) + " time");
            }
            System.out.printf("%s: %d packets, %d TCP, %d UDP (tshark agrees)%n", name, t.packets(), t.tcp(), t.udp());
        }
    }

    @Test
    void throughputReadingAndDecoding(@TempDir Path dir) throws IOException {
        Path p1 = MCP.resolve("P1.pcap");
        Assumptions.assumeTrue(Files.isReadable(p1), "P1.pcap missing");
        byte[] file = Files.readAllBytes(p1);
        int repeat = 1000;
        byte[] big = new byte[24 + (file.length - 24) * repeat];
        System.arraycopy(file, 0, big, 0, 24);
        for (int i = 0; i < repeat; i++) {
            System.arraycopy(file, 24, big, 24 + i * (file.length - 24), file.length - 24);
        }
        Path bigFile = dir.resolve("P1x" + repeat + ".pcap");
        Files.write(bigFile, big);
        Tally warm = run(bigFile);
        long t0 = System.nanoTime();
        Tally t = run(bigFile);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(warm.packets(), t.packets());
        System.out.printf("throughput: %d packets (%.1f MB) read and decoded in %.3f s: %.0f packets/s, %.0f MB/s%n",
                t.packets(), big.length / 1e6, secs, t.packets() / secs, big.length / 1e6 / secs);
    }
}
