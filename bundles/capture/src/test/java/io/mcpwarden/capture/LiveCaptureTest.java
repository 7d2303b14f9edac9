package io.mcpwarden.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LiveCaptureTest {

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static LiveCapture openOrSkip(String iface, String bpf) throws IOException {
        Assumptions.assumeTrue(isRoot(), "live capture needs root (or CAP_NET_RAW): skipping");
        try {
            return LiveCapture.open(iface, bpf, 65535, 100);
        } catch (IOException e) {
            Assumptions.assumeFalse(e.getMessage().contains("libpcap is not available"), e.getMessage());
            throw e;
        }
    }

    @Test
    @Timeout(30)
    void capturesUdpDatagramsOnLoopback() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = receiver.getLocalPort();
            LiveCapture cap = openOrSkip("lo", "udp and port " + port);
            List<byte[]> payloads = new CopyOnWriteArrayList<>();
            List<Integer> ports = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch five = new CountDownLatch(5);
            Thread reader = new Thread(() -> {
                PacketRecord rec = new PacketRecord();
                PacketDecoder dec = new PacketDecoder();
                DecodedPacket out = new DecodedPacket();
                try {
                    while (cap.next(rec)) {
                        assertEquals(-1, rec.fileOffset);
                        assertTrue(Math.abs(rec.tsNanos - System.currentTimeMillis() * 1_000_000L) < 60_000_000_000L,
                                "timestamp is now");
                        if (dec.decode(rec, out)) {
                            ports.add(out.dstPort);
                            payloads.add(Arrays.copyOfRange(out.payload, out.payloadOffset,
                                    out.payloadOffset + out.payloadLength));
                            five.countDown();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "live-capture-reader");
            reader.start();
            try {
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    sent.add("warden live test " + i);
                }
                // sent again every half second until seen: UDP on a loaded machine may be dropped before capture
                for (int round = 0; round < 20 && !five.await(round == 0 ? 0 : 500, TimeUnit.MILLISECONDS); round++) {
                    for (String m : sent) {
                        byte[] msg = m.getBytes(StandardCharsets.US_ASCII);
                        sender.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
                    }
                }
                assertTrue(five.await(2, TimeUnit.SECONDS), "5 datagrams captured, got " + payloads.size());
                List<String> got = payloads.stream().map(b -> new String(b, StandardCharsets.US_ASCII)).toList();
                assertTrue(got.containsAll(sent), "captured " + got);
                assertTrue(ports.stream().allMatch(p -> p == port), "BPF filter applied: " + ports);
                assertEquals(PacketDecoder.LINKTYPE_ETHERNET, cap.linkType());
                assertTrue(cap.counters().get("received") >= 5, cap.counters().toString());
                assertTrue(cap.counters().get("delivered") >= 5, cap.counters().toString());
            } finally {
                long t0 = System.nanoTime();
                cap.stop();
                reader.join(5_000);
                assertFalse(reader.isAlive(), "next() returns false after stop()");
                System.out.printf("live capture on lo: %s, stopped in %d ms%n", cap.counters(),
                        (System.nanoTime() - t0) / 1_000_000);
                cap.close();
            }
            assertNull(failure.get(), () -> "reader failed: " + failure.get());
            assertFalse(cap.next(new PacketRecord()), "closed capture yields nothing");
            assertEquals(-1, cap.size());
        }
    }

    @Test
    void clearErrors() throws IOException {
        Assumptions.assumeTrue(isRoot(), "needs root to reach libpcap errors");
        IOException missing = assertThrows(IOException.class,
                () -> LiveCapture.open("warden-no-such0", null, 1500, 100));
        assertTrue(missing.getMessage().contains("no such interface"), missing.getMessage());
        assertFalse(missing.getMessage().contains("\n"));
        IOException badFilter = assertThrows(IOException.class,
                () -> openOrSkip("lo", "udp and port nonsense(").close());
        assertTrue(badFilter.getMessage().contains("invalid BPF filter"), badFilter.getMessage());
    }
}
