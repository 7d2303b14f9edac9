package io.mcpwarden.pipeline.internal;

import io.mcpwarden.events.EventSink;
import io.mcpwarden.model.WardenEvent;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.RunControl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: writes TCP conversations as Ethernet/IPv4 (or IPv6) frames — handshake, data segments in
 * both directions, FIN — and runs them through the real pipeline. Frames are built byte by byte the way a
 * capture holds them; nothing of the pipeline is bypassed.
 */
final class Conversation {
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private long now = 1_795_000_000_000_000_000L;
    private final boolean v6;

    Conversation(boolean v6) {
        this.v6 = v6;
    }

    /** One TCP connection between client and server addresses (last byte / group given) and ports. */
    final class Tcp {
        final int client;
        final int server;
        final int cport;
        final int sport;
        long cseq = 1000;
        long sseq = 5000;

        Tcp(int client, int cport, int server, int sport) {
            this.client = client;
            this.server = server;
            this.cport = cport;
            this.sport = sport;
            frame(true, 0x02, new byte[0]);
            cseq++;
            frame(false, 0x12, new byte[0]);
            sseq++;
            frame(true, 0x10, new byte[0]);
        }

        Tcp send(String text) {
            return sendBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        Tcp sendBytes(byte[] data) {
            for (int i = 0; i < data.length; i += 1400) {
                byte[] seg = java.util.Arrays.copyOfRange(data, i, Math.min(data.length, i + 1400));
                frame(true, 0x18, seg);
                cseq += seg.length;
            }
            return this;
        }

        Tcp reply(String text) {
            return replyBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        Tcp replyBytes(byte[] data) {
            for (int i = 0; i < data.length; i += 1400) {
                byte[] seg = java.util.Arrays.copyOfRange(data, i, Math.min(data.length, i + 1400));
                frame(false, 0x18, seg);
                sseq += seg.length;
            }
            return this;
        }

        void close() {
            frame(true, 0x11, new byte[0]);
            cseq++;
            frame(false, 0x11, new byte[0]);
            sseq++;
            frame(true, 0x10, new byte[0]);
        }

        private void frame(boolean fromClient, int flags, byte[] payload) {
            int src = fromClient ? client : server;
            int dst = fromClient ? server : client;
            int sp = fromClient ? cport : sport;
            int dp = fromClient ? sport : cport;
            long seq = fromClient ? cseq : sseq;
            long ack = fromClient ? sseq : cseq;
            ByteBuffer tcp = ByteBuffer.allocate(20 + payload.length);
            tcp.putShort((short) sp).putShort((short) dp).putInt((int) seq).putInt((int) ack);
            tcp.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
            tcp.put(payload);
            add(ip(src, dst, 6, tcp.array()));
        }
    }

    Tcp tcp(int client, int cport, int server, int sport) {
        return new Tcp(client, cport, server, sport);
    }

    void udp(int src, int sport, int dst, int dport, byte[] payload) {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        u.put(payload);
        add(ip(src, dst, 17, u.array()));
    }

    private byte[] ip(int src, int dst, int proto, byte[] l4) {
        ByteBuffer f;
        if (!v6) {
            f = ByteBuffer.allocate(14 + 20 + l4.length);
            f.put(new byte[]{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
            f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 0).putShort((short) 0x4000);
            f.put((byte) 64).put((byte) proto).putShort((short) 0);
            f.put(new byte[]{10, 9, 0, (byte) src}).put(new byte[]{10, 9, 0, (byte) dst});
        } else {
            f = ByteBuffer.allocate(14 + 40 + l4.length);
            f.put(new byte[]{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x86dd);
            f.putInt(0x60000000).putShort((short) l4.length).put((byte) proto).put((byte) 64);
            f.put(addr6(src)).put(addr6(dst));
        }
        f.put(l4);
        return f.array();
    }

    private static byte[] addr6(int last) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = (byte) last;
        return a;
    }

    /** Lets {@code millis} of capture time pass before the next frame. */
    void pause(long millis) {
        now += millis * 1_000_000L;
    }

    private void add(byte[] frame) {
        now += 1_000_000L;
        frames.add(frame);
        times.add(now);
    }

    /** The frames so far as a packet source. */
    MemorySource source() {
        return MemorySource.ofFrames(frames, times);
    }

    List<WardenEvent> run() {
        List<WardenEvent> out = new ArrayList<>();
        EventSink sink = out::add;
        new Pipeline(sink, InspectOptions.DEFAULTS).run(MemorySource.ofFrames(frames, times), RunControl.NONE);
        return out;
    }

    static String post(String path, String host, String body, String... headers) {
        StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Content-Type: application/json\r\nContent-Length: ")
                .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body).toString();
    }

    static String json(int status, String body, String... headers) {
        StringBuilder b = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Content-Type: application/json\r\nContent-Length: ")
                .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body).toString();
    }
}
