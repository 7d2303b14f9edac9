package io.mcpwarden.capture;

import static io.mcpwarden.capture.TestFrames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {
    static final long T = 1_700_000_000_000_000_000L;

    private final PacketDecoder dec = new PacketDecoder();
    private final DecodedPacket out = new DecodedPacket();

    private boolean decode(int linkType, byte[] frame) {
        return dec.decode(record(linkType, frame, T), out);
    }

    private static byte[] payloadOf(DecodedPacket p) {
        return Arrays.copyOfRange(p.payload, p.payloadOffset, p.payloadOffset + p.payloadLength);
    }

    @Test
    void ethernetIpv4TcpAndUdp() {
        byte[] data = payload(100, 5);
        byte[] opts = bytes(2, 4, 5, 0xb4, 1, 1, 1, 0); // MSS + NOPs + EOL, 8 bytes
        assertTrue(decode(1, ether(0x0800, ipv4(6, tcp(40000, 3001, 0xFFFFFFF0L, 7, 0x18, opts, data)))));
        assertEquals(4, out.ipVersion);
        assertEquals(4, out.addrLen);
        assertArrayEquals(SRC4, Arrays.copyOf(out.srcAddr, 4));
        assertArrayEquals(DST4, Arrays.copyOf(out.dstAddr, 4));
        assertEquals(DecodedPacket.PROTO_TCP, out.protocol);
        assertEquals(40000, out.srcPort);
        assertEquals(3001, out.dstPort);
        assertEquals(0xFFFFFFF0L, out.seq);
        assertEquals(7, out.ack);
        assertEquals(DecodedPacket.TCP_PSH | DecodedPacket.TCP_ACK, out.tcpFlags);
        assertArrayEquals(data, payloadOf(out));
        assertEquals(20 + 28 + 100, out.ipLength);
        assertEquals(T, out.tsNanos);

        byte[] ipOpts = bytes(1, 1, 1, 0); // NOP NOP NOP EOL
        assertTrue(decode(1, ether(0x0800, ipv4(17, 9, false, 0, ipOpts, udp(5353, 53, payload(12, 1)), -1))));
        assertEquals(DecodedPacket.PROTO_UDP, out.protocol);
        assertEquals(53, out.dstPort);
        assertArrayEquals(payload(12, 1), payloadOf(out));
        assertEquals(24 + 8 + 12, out.ipLength);
        assertEquals(0, out.tcpFlags);

        // Ethernet padding after a short datagram is not payload
        byte[] padded = concat(ether(0x0800, ipv4(17, udp(1, 2, payload(2, 0)))), new byte[16]);
        assertTrue(decode(1, padded));
        assertEquals(2, out.payloadLength);

        DecodeStats s = dec.stats();
        assertEquals(3, s.packets());
        assertEquals(1, s.tcp());
        assertEquals(2, s.udp());
    }

    @Test
    void vlanAndQinq() {
        byte[] ip = ipv4(17, udp(1000, 2000, payload(4, 0)));
        assertTrue(decode(1, etherTagged(new int[] {0x8100}, 0x0800, ip)));
        assertTrue(decode(1, etherTagged(new int[] {0x88a8, 0x8100}, 0x0800, ip)));
        assertTrue(decode(1, etherTagged(new int[] {0x9100, 0x8100}, 0x86DD, ipv6(17, udp(1, 2, payload(3, 0))))));
        assertEquals(6, out.ipVersion);
        assertTrue(decode(1, etherTagged(new int[] {0x88a8, 0x88a8, 0x8100, 0x8100}, 0x0800, ip)));
        assertEquals(2000, out.dstPort);
        int[] tooMany = new int[PacketDecoder.MAX_VLAN_TAGS + 1];
        Arrays.fill(tooMany, 0x8100);
        assertFalse(decode(1, etherTagged(tooMany, 0x0800, ip)));
        // tag cut short
        byte[] cut = Arrays.copyOf(etherTagged(new int[] {0x8100}, 0x0800, ip), 16);
        assertFalse(decode(1, cut));
        DecodeStats s = dec.stats();
        assertEquals(4, s.udp());
        assertEquals(1, s.nonIp());
        assertEquals(1, s.truncated());
        assertEquals(1 + 2 + 2 + 4 + PacketDecoder.MAX_VLAN_TAGS, s.vlanTags());
        // ARP is not IP
        assertFalse(decode(1, ether(0x0806, new byte[28])));
        assertEquals(2, dec.stats().nonIp());
    }

    @Test
    void linuxCookedAndLoopbackAndRaw() {
        byte[] ip4 = ipv4(6, tcp(1, 2, 3, 4, 2, new byte[0], new byte[0]));
        byte[] ip6 = ipv6(17, udp(7, 8, payload(9, 1)));
        ByteBuffer sll = ByteBuffer.allocate(16 + ip4.length);
        sll.putShort((short) 0).putShort((short) 1).putShort((short) 6).put(new byte[8]).putShort((short) 0x0800).put(ip4);
        assertTrue(decode(113, sll.array()));
        assertEquals(DecodedPacket.PROTO_TCP, out.protocol);
        assertEquals(DecodedPacket.TCP_SYN, out.tcpFlags);

        ByteBuffer sll2 = ByteBuffer.allocate(20 + ip6.length);
        sll2.putShort((short) 0x86DD).putShort((short) 0).putInt(2).putShort((short) 1).put((byte) 4).put((byte) 6)
                .put(new byte[8]).put(ip6);
        assertTrue(decode(276, sll2.array()));
        assertEquals(6, out.ipVersion);
        assertEquals(8, out.dstPort);
        assertArrayEquals(DST6, out.dstAddr);

        assertTrue(decode(0, concat(bytes(2, 0, 0, 0), ip4)));      // NULL, little-endian AF_INET
        assertTrue(decode(0, concat(bytes(0, 0, 0, 30), ip6)));     // NULL, big-endian AF_INET6 (Darwin)
        assertTrue(decode(0, concat(bytes(24, 0, 0, 0), ip6)));     // NULL, little-endian AF_INET6 (NetBSD)
        assertTrue(decode(108, concat(bytes(0, 0, 0, 2), ip4)));    // LOOP, network order
        assertFalse(decode(0, concat(bytes(7, 0, 0, 0), ip4)));     // unknown family
        for (int lt : new int[] {101, 12, 14}) {
            assertTrue(decode(lt, ip4), "raw " + lt);
            assertTrue(decode(lt, ip6), "raw " + lt);
        }
        assertTrue(decode(228, ip4));
        assertTrue(decode(229, ip6));
        assertFalse(decode(228, ip6));
        assertFalse(decode(147, ip4));
        assertFalse(decode(113, Arrays.copyOf(sll.array(), 15)));
        DecodeStats s = dec.stats();
        assertEquals(1, s.unsupportedLinkType());
        assertEquals(1, s.nonIp());
        assertEquals(1, s.badIpHeader());
        assertEquals(1, s.truncated());
        assertEquals(14, s.tcp() + s.udp());
    }

    @Test
    void ipv6ExtensionHeaders() {
        byte[] l4 = udp(11, 12, payload(20, 3));
        // hop-by-hop -> routing -> destination options -> AH -> UDP
        byte[] ah = new byte[16];
        ah[0] = 17;
        ah[1] = 2; // (2 + 2) * 4 = 16 bytes
        byte[] chain = concat(ext(43, 0), ext(60, 1), ext(51, 0), ah, l4);
        assertTrue(decode(229, ipv6(0, chain)));
        assertEquals(DecodedPacket.PROTO_UDP, out.protocol);
        assertEquals(12, out.dstPort);
        assertArrayEquals(payload(20, 3), payloadOf(out));
        assertEquals(40 + chain.length, out.ipLength);

        assertFalse(decode(229, ipv6(50, new byte[24])));          // ESP: stop
        assertEquals(50, out.protocol);
        assertFalse(decode(229, ipv6(0, ext(59, 0))));             // no next header
        assertFalse(decode(229, ipv6(58, new byte[8])));           // ICMPv6
        assertEquals(3, dec.stats().otherTransport());

        // extension header longer than the packet (stated) is bad; longer than captured is truncated
        byte[] longExt = ext(17, 4);
        assertFalse(decode(229, ipv6(0, Arrays.copyOf(longExt, 16))));
        assertEquals(1, dec.stats().badIpHeader());
        byte[] full = ipv6(0, concat(longExt, l4));
        assertFalse(decode(229, Arrays.copyOf(full, 60)));
        assertEquals(1, dec.stats().truncated());

        // too many extension headers
        byte[] many = new byte[0];
        for (int i = 0; i < PacketDecoder.MAX_IPV6_EXT_HEADERS + 2; i++) {
            many = concat(many, ext(60, 0));
        }
        assertFalse(decode(229, ipv6(60, concat(many, l4))));
        assertEquals(2, dec.stats().badIpHeader());

        // atomic fragment (offset 0, M=0) is decoded in place
        assertTrue(decode(229, ipv6(44, concat(fragHeader(17, 0, false, 99), l4))));
        assertEquals(1, dec.stats().ipv6Fragments());
        assertEquals(0, dec.fragmentsInProgress());
    }

    /** IPv4 fragments of a UDP datagram: returns fragment frames (Ethernet) of the given pieces. */
    private static byte[][] v4Fragments(byte[] l4, int id, int[][] pieces) {
        byte[][] f = new byte[pieces.length][];
        for (int i = 0; i < pieces.length; i++) {
            int off = pieces[i][0];
            int len = pieces[i][1];
            boolean more = off + len < l4.length;
            f[i] = ether(0x0800, ipv4(17, id, more, off, new byte[0], Arrays.copyOfRange(l4, off, off + len), -1));
        }
        return f;
    }

    @Test
    void ipv4FragmentsOutOfOrderAndOverlapping() {
        byte[] data = payload(3000, 42);
        byte[] l4 = udp(4000, 53, data);
        byte[][] f = v4Fragments(l4, 77, new int[][] {{0, 1480}, {1480, 1480}, {2960, l4.length - 2960}});
        assertFalse(decode(1, f[2]));
        assertFalse(decode(1, f[0]));
        assertEquals(1, dec.fragmentsInProgress());
        assertTrue(decode(1, f[1]));
        assertEquals(DecodedPacket.PROTO_UDP, out.protocol);
        assertEquals(53, out.dstPort);
        assertArrayEquals(data, payloadOf(out));
        assertEquals(20 + l4.length, out.ipLength);
        assertEquals(0, dec.fragmentsInProgress());

        // overlapping: a second copy of bytes 8..1008 with different content must not rewrite the first copy
        byte[] evil = l4.clone();
        Arrays.fill(evil, 8, 1008, (byte) 0x55);
        byte[][] g = v4Fragments(l4, 78, new int[][] {{0, 1008}, {1008, l4.length - 1008}});
        byte[] overlap = ether(0x0800, ipv4(17, 78, true, 8, new byte[0], Arrays.copyOfRange(evil, 8, 1008), -1));
        assertFalse(decode(1, g[0]));
        assertFalse(decode(1, overlap));
        assertTrue(decode(1, g[1]));
        assertArrayEquals(data, payloadOf(out));
        DecodeStats s = dec.stats();
        assertEquals(1, s.fragmentOverlaps());
        assertEquals(2, s.reassembled());
        assertEquals(6, s.ipv4Fragments());
        assertEquals(4, s.fragmentHeld());

        // conflicting ends and a non-final fragment that is not a multiple of 8 are dropped
        byte[][] h = v4Fragments(l4, 79, new int[][] {{0, 1480}, {1480, l4.length - 1480}});
        assertFalse(decode(1, h[1]));
        byte[] otherEnd = ether(0x0800, ipv4(17, 79, false, 1480, new byte[0], new byte[16], -1));
        assertFalse(decode(1, otherEnd));
        assertFalse(decode(1, h[0]));
        byte[] odd = ether(0x0800, ipv4(17, 80, true, 0, new byte[0], new byte[13], -1));
        assertFalse(decode(1, odd));
        byte[] tooBig = ether(0x0800, ipv4(17, 81, false, 65528, new byte[0], new byte[16], -1));
        assertFalse(decode(1, tooBig));
        assertEquals(3, dec.stats().fragmentDropped());
        assertEquals(2, dec.stats().reassembled());
    }

    @Test
    void fragmentTimeoutsAndCaps() {
        FragmentReassembler r = new FragmentReassembler(4, 5_000_000_000L);
        PacketDecoder d = new PacketDecoder(r);
        byte[] l4 = udp(1, 2, payload(100, 1));
        byte[][] f = v4Fragments(l4, 1, new int[][] {{0, 64}, {64, l4.length - 64}});
        assertFalse(d.decode(record(1, f[0], T), out));
        // the second half arrives too late: the first half has expired
        assertFalse(d.decode(record(1, f[1], T + 6_000_000_000L), out));
        assertEquals(1, d.stats().fragmentTimeouts());
        assertEquals(1, d.fragmentsInProgress());
        // any later packet advances capture time and expires the rest
        assertFalse(d.decode(record(1, ether(0x0806, new byte[28]), T + 12_000_000_000L), out));
        assertEquals(0, d.fragmentsInProgress());
        assertEquals(2, d.stats().fragmentTimeouts());

        // at most 4 datagrams in progress: the oldest is evicted
        long t = T + 20_000_000_000L;
        for (int id = 10; id < 20; id++) {
            byte[][] g = v4Fragments(l4, id, new int[][] {{0, 64}, {64, l4.length - 64}});
            assertFalse(d.decode(record(1, g[0], t), out));
        }
        assertEquals(4, d.fragmentsInProgress());
        assertEquals(6, d.stats().fragmentEvicted());
        // the newest can still complete; an evicted one cannot
        byte[][] g19 = v4Fragments(l4, 19, new int[][] {{0, 64}, {64, l4.length - 64}});
        assertTrue(d.decode(record(1, g19[1], t), out));
        assertArrayEquals(payload(100, 1), payloadOf(out));
        byte[][] g10 = v4Fragments(l4, 10, new int[][] {{0, 64}, {64, l4.length - 64}});
        assertFalse(d.decode(record(1, g10[1], t), out));

        // fragment count cap: many tiny fragments of one datagram are dropped
        FragmentReassembler r2 = new FragmentReassembler();
        PacketDecoder d2 = new PacketDecoder(r2);
        for (int i = 0; i <= FragmentReassembler.MAX_FRAGMENTS_PER_DATAGRAM; i++) {
            byte[] tiny = ether(0x0800, ipv4(17, 5, true, (i % 100) * 8, new byte[0], new byte[8], -1));
            assertFalse(d2.decode(record(1, tiny, T), out));
        }
        assertEquals(1, d2.stats().fragmentDropped());
        assertEquals(0, d2.fragmentsInProgress());
    }

    @Test
    void ipv6FragmentsWithExtensionHeadersAfterReassembly() {
        byte[] data = payload(2000, 9);
        byte[] l4 = tcp(443, 50000, 1, 2, 0x10, new byte[0], data);
        byte[] fragmentable = concat(ext(6, 0), l4); // destination options, then TCP
        int cut = 1232;
        byte[] a = ipv6(0, concat(ext(44, 0), fragHeader(60, 0, true, 0x1234),
                Arrays.copyOfRange(fragmentable, 0, cut)));
        byte[] b = ipv6(0, concat(ext(44, 0), fragHeader(60, cut, false, 0x1234),
                Arrays.copyOfRange(fragmentable, cut, fragmentable.length)));
        assertFalse(decode(229, b));
        assertTrue(decode(229, a));
        assertEquals(DecodedPacket.PROTO_TCP, out.protocol);
        assertEquals(443, out.srcPort);
        assertArrayEquals(data, payloadOf(out));
        assertEquals(40 + 8 + fragmentable.length, out.ipLength);
        assertEquals(2, dec.stats().ipv6Fragments());
        assertEquals(1, dec.stats().reassembled());
        // a different identification is another datagram
        byte[] c = ipv6(44, concat(fragHeader(17, 0, true, 0x9999), new byte[16]));
        assertFalse(decode(229, c));
        assertEquals(1, dec.fragmentsInProgress());
    }

    @Test
    void truncatedAndBadHeadersNeverThrow() {
        byte[] frame = ether(0x0800, ipv4(6, tcp(1, 2, 3, 4, 0x18, new byte[12], payload(50, 1))));
        for (int cut = 0; cut < frame.length; cut++) {
            boolean ok = decode(1, Arrays.copyOf(frame, cut));
            assertEquals(cut >= 14 + 20 + 32, ok, "cut " + cut);
            if (ok) {
                assertEquals(cut - 66, out.payloadLength, "captured payload at cut " + cut);
                assertEquals(20 + 32 + 50, out.ipLength);
            }
        }
        DecodeStats s = dec.stats();
        assertEquals(66, s.truncated());
        assertEquals(0, s.decodeErrors());

        assertFalse(decode(101, ipv4(6, 1, false, 0, new byte[0], new byte[20], 10)));      // total < ihl
        byte[] badIhl = ipv4(17, udp(1, 2, new byte[0]));
        badIhl[0] = 0x43;
        assertFalse(decode(101, badIhl));
        byte[] badDoff = ipv4(6, tcp(1, 2, 3, 4, 0, new byte[0], new byte[0]));
        badDoff[20 + 12] = 0x40;
        assertFalse(decode(101, badDoff));
        byte[] badUdpLen = ipv4(17, udp(1, 2, new byte[4]));
        badUdpLen[20 + 5] = 3;
        assertFalse(decode(101, badUdpLen));
        assertEquals(2, dec.stats().badIpHeader());
        assertEquals(2, dec.stats().badTransportHeader());

        // inconsistent record bounds are counted, not thrown
        PacketRecord r = record(1, new byte[10], T);
        r.caplen = 50;
        assertFalse(dec.decode(r, out));
        r.data = null;
        assertFalse(dec.decode(r, out));

        // random bytes on every link type
        java.util.Random rnd = new java.util.Random(1);
        int[] lts = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276};
        for (int i = 0; i < 20000; i++) {
            byte[] b = new byte[rnd.nextInt(120)];
            rnd.nextBytes(b);
            if (b.length > 20 && rnd.nextBoolean()) {
                b[0] = (byte) (rnd.nextBoolean() ? 0x45 : 0x60);
            }
            dec.decode(record(lts[i % lts.length], b, T + i), out);
        }
        assertEquals(0, dec.stats().decodeErrors());
        assertEquals(dec.stats().packets(), dec.counters().get("packets"));
    }

    @Test
    void everyCallHasExactlyOneOutcome() {
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] b = ether(0x0800, ipv4(rnd.nextBoolean() ? 6 : 17, rnd.nextInt(4), rnd.nextBoolean(),
                    rnd.nextInt(4) * 8, new byte[0], payload(rnd.nextInt(40), i), -1));
            if (rnd.nextInt(3) == 0) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            dec.decode(record(1, b, T + i * 1_000_000L), out);
        }
        DecodeStats s = dec.stats();
        long outcomes = s.tcp() + s.udp() + s.otherTransport() + s.nonIp() + s.unsupportedLinkType() + s.truncated()
                + s.badIpHeader() + s.badTransportHeader() + s.fragmentHeld() + s.decodeErrors();
        assertEquals(s.packets(), outcomes);
        assertEquals(19, dec.counters().size());
    }
}
