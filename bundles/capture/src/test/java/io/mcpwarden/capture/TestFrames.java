package io.mcpwarden.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builders for synthetic frames and capture files used by the tests. */
final class TestFrames {
    static final byte[] SRC4 = {10, 0, 0, 1};
    static final byte[] DST4 = {10, 0, 0, 2};
    static final byte[] SRC6 = new byte[16];
    static final byte[] DST6 = new byte[16];

    static {
        SRC6[0] = 0x20;
        SRC6[1] = 0x01;
        SRC6[2] = 0x0d;
        SRC6[3] = (byte) 0xb8;
        SRC6[15] = 1;
        System.arraycopy(SRC6, 0, DST6, 0, 16);
        DST6[15] = 2;
    }

    private TestFrames() {
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    static byte[] udp(int sport, int dport, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length)).putShort((short) 0);
        b.put(data);
        return b.array();
    }

    static byte[] tcp(int sport, int dport, long seq, long ack, int flags, byte[] options, byte[] data) {
        int hl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(hl + data.length);
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack);
        b.put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        b.put(options).put(data);
        return b.array();
    }

    /** IPv4 header (with optional options) + payload; fragment offset in bytes. */
    static byte[] ipv4(int proto, int id, boolean more, int fragOffset, byte[] options, byte[] l4, int totalOverride) {
        int hl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(hl + l4.length);
        b.put((byte) (0x40 | (hl / 4))).put((byte) 0);
        b.putShort((short) (totalOverride >= 0 ? totalOverride : hl + l4.length));
        b.putShort((short) id).putShort((short) ((more ? 0x2000 : 0) | (fragOffset >>> 3)));
        b.put((byte) 64).put((byte) proto).putShort((short) 0).put(SRC4).put(DST4).put(options).put(l4);
        return b.array();
    }

    static byte[] ipv4(int proto, byte[] l4) {
        return ipv4(proto, 1, false, 0, new byte[0], l4, -1);
    }

    /** IPv6 header + rest (extension headers and transport), payload length from rest. */
    static byte[] ipv6(int nextHeader, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(40 + rest.length);
        b.putInt(0x60000000).putShort((short) rest.length).put((byte) nextHeader).put((byte) 64);
        b.put(SRC6).put(DST6).put(rest);
        return b.array();
    }

    /** Generic IPv6 extension header (hop-by-hop, routing, destination options) of 8*(1+lenUnits) bytes. */
    static byte[] ext(int next, int lenUnits) {
        byte[] h = new byte[8 * (lenUnits + 1)];
        h[0] = (byte) next;
        h[1] = (byte) lenUnits;
        return h;
    }

    static byte[] fragHeader(int next, int offset, boolean more, int id) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put((byte) next).put((byte) 0).putShort((short) (offset | (more ? 1 : 0))).putInt(id);
        return b.array();
    }

    static byte[] ether(int ethertype, byte[] l3) {
        ByteBuffer b = ByteBuffer.allocate(14 + l3.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) ethertype).put(l3);
        return b.array();
    }

    /** Ethernet with VLAN tags (outer first): tpids[i] is the TPID of tag i. */
    static byte[] etherTagged(int[] tpids, int ethertype, byte[] l3) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * tpids.length + l3.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        b.putShort((short) tpids[0]);
        for (int i = 0; i < tpids.length; i++) {
            b.putShort((short) (100 + i));
            b.putShort((short) (i + 1 < tpids.length ? tpids[i + 1] : ethertype));
        }
        b.put(l3);
        return b.array();
    }

    static PacketRecord record(int linkType, byte[] frame, long ts) {
        PacketRecord r = new PacketRecord();
        r.linkType = linkType;
        r.data = frame;
        r.offset = 0;
        r.caplen = frame.length;
        r.origLen = frame.length;
        r.tsNanos = ts;
        return r;
    }

    // ---- capture files ----

    /** Classic pcap file. */
    static byte[] pcap(ByteOrder order, boolean nanos, int linkType, long[] tsNanos, byte[][] frames) {
        int n = 24;
        for (byte[] f : frames) {
            n += 16 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(order);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(linkType);
        for (int i = 0; i < frames.length; i++) {
            long ts = tsNanos[i];
            b.putInt((int) (ts / 1_000_000_000L));
            long frac = ts % 1_000_000_000L;
            b.putInt((int) (nanos ? frac : frac / 1000));
            b.putInt(frames[i].length).putInt(frames[i].length).put(frames[i]);
        }
        return b.array();
    }

    /** pcapng writer. */
    static final class Ng {
        final ByteOrder order;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Ng(ByteOrder order) {
            this.order = order;
        }

        ByteBuffer buf(int n) {
            return ByteBuffer.allocate(n).order(order);
        }

        Ng block(int type, byte[] body) {
            int pad = (4 - body.length % 4) % 4;
            int len = 12 + body.length + pad;
            ByteBuffer b = buf(len);
            b.putInt(type).putInt(len).put(body).put(new byte[pad]).putInt(len);
            out.writeBytes(b.array());
            return this;
        }

        Ng shb() {
            ByteBuffer b = buf(16);
            b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
            return block(0x0A0D0D0A, b.array());
        }

        /** IDB; tsresol &lt; 0 means no if_tsresol option. */
        Ng idb(int linkType, int snaplen, int tsresol, long tsOffset) {
            ByteBuffer b = buf(8 + 8 + 12 + 4);
            b.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
            int used = 8;
            if (tsresol >= 0) {
                b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
                used += 8;
            }
            if (tsOffset != 0) {
                b.putShort((short) 14).putShort((short) 8).putLong(tsOffset);
                used += 12;
            }
            b.putShort((short) 0).putShort((short) 0);
            used += 4;
            byte[] body = new byte[used];
            System.arraycopy(b.array(), 0, body, 0, used);
            return block(1, body);
        }

        Ng epb(int iface, long units, byte[] frame) {
            int pad = (4 - frame.length % 4) % 4;
            ByteBuffer b = buf(20 + frame.length + pad);
            b.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units).putInt(frame.length).putInt(frame.length);
            b.put(frame);
            return block(6, b.array());
        }

        Ng spb(byte[] frame) {
            ByteBuffer b = buf(4 + frame.length);
            b.putInt(frame.length).put(frame);
            return block(3, b.array());
        }

        Ng pb(int iface, long units, byte[] frame) {
            ByteBuffer b = buf(20 + frame.length);
            b.putShort((short) iface).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units)
                    .putInt(frame.length).putInt(frame.length).put(frame);
            return block(2, b.array());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
