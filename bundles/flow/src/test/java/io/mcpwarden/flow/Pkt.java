package io.mcpwarden.flow;

import io.mcpwarden.capture.DecodedPacket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** Builds decoded packets for tests. */
final class Pkt {
    static final int FIN = DecodedPacket.TCP_FIN;
    static final int SYN = DecodedPacket.TCP_SYN;
    static final int RST = DecodedPacket.TCP_RST;
    static final int PSH = DecodedPacket.TCP_PSH;
    static final int ACK = DecodedPacket.TCP_ACK;

    private Pkt() {
    }

    static byte[] addr(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    static DecodedPacket tcp(long ts, String src, int sport, String dst, int dport, int flags, long seq, long ack,
                             String payload) {
        return tcp(ts, src, sport, dst, dport, flags, seq, ack, payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    static DecodedPacket tcp(long ts, String src, int sport, String dst, int dport, int flags, long seq, long ack,
                             byte[] payload) {
        DecodedPacket p = ip(ts, src, dst, DecodedPacket.PROTO_TCP);
        p.srcPort = sport;
        p.dstPort = dport;
        p.tcpFlags = flags;
        p.seq = seq & 0xffffffffL;
        p.ack = ack & 0xffffffffL;
        // put the payload at an offset inside a larger buffer, as a frame decoder would
        byte[] frame = new byte[payload.length + 54];
        System.arraycopy(payload, 0, frame, 54, payload.length);
        p.payload = frame;
        p.payloadOffset = 54;
        p.payloadLength = payload.length;
        p.ipLength = payload.length + 40;
        return p;
    }

    static DecodedPacket udp(long ts, String src, int sport, String dst, int dport, String payload) {
        DecodedPacket p = ip(ts, src, dst, DecodedPacket.PROTO_UDP);
        byte[] b = payload.getBytes(StandardCharsets.ISO_8859_1);
        p.srcPort = sport;
        p.dstPort = dport;
        p.payload = b;
        p.payloadOffset = 0;
        p.payloadLength = b.length;
        p.ipLength = b.length + 28;
        return p;
    }

    private static DecodedPacket ip(long ts, String src, String dst, int proto) {
        DecodedPacket p = new DecodedPacket();
        byte[] s = addr(src);
        byte[] d = addr(dst);
        p.tsNanos = ts;
        p.ipVersion = s.length == 4 ? 4 : 6;
        p.addrLen = s.length;
        System.arraycopy(s, 0, p.srcAddr, 0, s.length);
        System.arraycopy(d, 0, p.dstAddr, 0, d.length);
        p.protocol = proto;
        return p;
    }
}
