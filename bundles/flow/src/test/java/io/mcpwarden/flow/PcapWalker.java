package io.mcpwarden.flow;

import io.mcpwarden.capture.DecodedPacket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Minimal pcap reader for tests: Ethernet (with one optional 802.1Q tag), IPv4 / IPv6 without extension
 * headers, TCP and UDP. Other frames are skipped. Not a product reader: it loads the whole file.
 */
final class PcapWalker {
    private PcapWalker() {
    }

    /** Decodes every TCP/UDP frame of the file into one reused packet and hands it to {@code sink}. */
    static int walk(Path file, Consumer<DecodedPacket> sink) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        boolean nano;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new IOException("not a pcap file: " + file);
            }
        }
        nano = magic == 0xa1b23c4d;
        if (b.getInt(20) != 1) {
            throw new IOException("only Ethernet captures: " + file);
        }
        byte[] data = b.array();
        DecodedPacket p = new DecodedPacket();
        int pos = 24;
        int count = 0;
        while (pos + 16 <= data.length) {
            long sec = b.getInt(pos) & 0xffffffffL;
            long frac = b.getInt(pos + 4) & 0xffffffffL;
            int incl = b.getInt(pos + 8);
            int start = pos + 16;
            pos = start + incl;
            if (incl < 0 || pos > data.length) {
                break;
            }
            p.tsNanos = sec * 1_000_000_000L + (nano ? frac : frac * 1000);
            if (decode(data, start, incl, p)) {
                sink.accept(p);
                count++;
            }
        }
        return count;
    }

    private static int u8(byte[] d, int i) {
        return d[i] & 0xff;
    }

    private static int u16(byte[] d, int i) {
        return (u8(d, i) << 8) | u8(d, i + 1);
    }

    private static long u32(byte[] d, int i) {
        return ((long) u16(d, i) << 16) | u16(d, i + 2);
    }

    private static boolean decode(byte[] d, int off, int len, DecodedPacket p) {
        int end = off + len;
        if (len < 14) {
            return false;
        }
        int type = u16(d, off + 12);
        int l3 = off + 14;
        if (type == 0x8100 && len >= 18) {
            type = u16(d, off + 16);
            l3 = off + 18;
        }
        int l4;
        int l4end;
        if (type == 0x0800) {
            if (l3 + 20 > end || (u8(d, l3) >> 4) != 4) {
                return false;
            }
            int ihl = (u8(d, l3) & 0x0f) * 4;
            int total = u16(d, l3 + 2);
            if ((u16(d, l3 + 6) & 0x1fff) != 0) {
                return false;   // non-first fragment
            }
            p.ipVersion = 4;
            p.addrLen = 4;
            p.protocol = u8(d, l3 + 9);
            System.arraycopy(d, l3 + 12, p.srcAddr, 0, 4);
            System.arraycopy(d, l3 + 16, p.dstAddr, 0, 4);
            p.ipLength = total;
            l4 = l3 + ihl;
            l4end = Math.min(end, l3 + total);
        } else if (type == 0x86dd) {
            if (l3 + 40 > end) {
                return false;
            }
            p.ipVersion = 6;
            p.addrLen = 16;
            p.protocol = u8(d, l3 + 6);
            System.arraycopy(d, l3 + 8, p.srcAddr, 0, 16);
            System.arraycopy(d, l3 + 24, p.dstAddr, 0, 16);
            p.ipLength = 40 + u16(d, l3 + 4);
            l4 = l3 + 40;
            l4end = Math.min(end, l4 + u16(d, l3 + 4));
        } else {
            return false;
        }
        if (p.protocol == DecodedPacket.PROTO_TCP) {
            if (l4 + 20 > l4end) {
                return false;
            }
            p.srcPort = u16(d, l4);
            p.dstPort = u16(d, l4 + 2);
            p.seq = u32(d, l4 + 4);
            p.ack = u32(d, l4 + 8);
            int thl = (u8(d, l4 + 12) >> 4) * 4;
            p.tcpFlags = u8(d, l4 + 13);
            p.payload = d;
            p.payloadOffset = Math.min(l4 + thl, l4end);
            p.payloadLength = l4end - p.payloadOffset;
            return true;
        }
        if (p.protocol == DecodedPacket.PROTO_UDP) {
            if (l4 + 8 > l4end) {
                return false;
            }
            p.srcPort = u16(d, l4);
            p.dstPort = u16(d, l4 + 2);
            p.tcpFlags = 0;
            p.seq = 0;
            p.ack = 0;
            p.payload = d;
            p.payloadOffset = l4 + 8;
            p.payloadLength = Math.min(l4end, l4 + u16(d, l4 + 4)) - p.payloadOffset;
            return true;
        }
        return false;
    }
}
