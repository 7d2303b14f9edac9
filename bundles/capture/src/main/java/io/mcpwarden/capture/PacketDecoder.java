package io.mcpwarden.capture;

import java.util.Map;

/**
 * Decodes captured frames down to TCP or UDP: link layer (Ethernet with 802.1Q/802.1ad/QinQ tags, raw IP,
 * Linux cooked SLL/SLL2, BSD NULL/LOOP), IPv4 (RFC 791) with fragment reassembly, IPv6 (RFC 8200) with its
 * extension headers and fragment reassembly, TCP (RFC 9293) and UDP (RFC 768). Every read is bounds-checked;
 * bad input is counted, never thrown. One instance per packet stream; not thread-safe.
 */
public final class PacketDecoder {
    public static final int LINKTYPE_NULL = 0;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int LINKTYPE_RAW = 101;
    public static final int LINKTYPE_LOOP = 108;
    public static final int LINKTYPE_LINUX_SLL = 113;
    public static final int LINKTYPE_IPV4 = 228;
    public static final int LINKTYPE_IPV6 = 229;
    public static final int LINKTYPE_LINUX_SLL2 = 276;
    /** DLT_RAW as written by some systems (12 on most, 14 on OpenBSD). */
    public static final int DLT_RAW_12 = 12;
    public static final int DLT_RAW_14 = 14;

    /** Most VLAN tags followed in one frame. */
    public static final int MAX_VLAN_TAGS = 8;
    /** Most IPv6 extension headers followed in one packet. */
    public static final int MAX_IPV6_EXT_HEADERS = 16;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;
    static final int ETHERTYPE_QINQ_OLD = 0x9100;
    static final int ETHERTYPE_QINQ_OLD2 = 0x9200;

    private final FragmentReassembler reassembler;

    private long packets;
    private long tcp;
    private long udp;
    private long otherTransport;
    private long nonIp;
    private long unsupportedLinkType;
    private long truncated;
    private long badIpHeader;
    private long badTransportHeader;
    private long fragmentHeld;
    private long decodeErrors;
    private long vlanTags;
    private long ipv4Fragments;
    private long ipv6Fragments;

    public PacketDecoder() {
        this(new FragmentReassembler());
    }

    PacketDecoder(FragmentReassembler reassembler) {
        this.reassembler = reassembler;
    }

    /**
     * Decodes {@code rec} into {@code out}.
     *
     * @return true when {@code out} now holds an IPv4/IPv6 TCP or UDP packet (for a completed fragmented datagram,
     *         the reassembled datagram); false otherwise (counted in {@link #stats()})
     */
    public boolean decode(PacketRecord rec, DecodedPacket out) {
        packets++;
        try {
            if (rec == null || out == null || rec.data == null || rec.offset < 0 || rec.caplen < 0
                    || rec.caplen > rec.data.length - rec.offset) {
                truncated++;
                return false;
            }
            out.tsNanos = rec.tsNanos;
            reassembler.advance(rec.tsNanos);
            return link(rec.linkType, rec.data, rec.offset, rec.offset + rec.caplen, out);
        } catch (RuntimeException e) {
            decodeErrors++;
            return false;
        }
    }

    private boolean link(int linkType, byte[] b, int p, int end, DecodedPacket out) {
        switch (linkType) {
            case LINKTYPE_ETHERNET:
                if (end - p < 14) {
                    return truncated();
                }
                return ethertype(u16(b, p + 12), b, p + 14, end, out);
            case LINKTYPE_RAW:
            case DLT_RAW_12:
            case DLT_RAW_14:
                if (end - p < 1) {
                    return truncated();
                }
                return ipByVersion(b, p, end, out);
            case LINKTYPE_IPV4:
                return ipv4(b, p, end, out);
            case LINKTYPE_IPV6:
                return ipv6(b, p, end, out);
            case LINKTYPE_LINUX_SLL:
                if (end - p < 16) {
                    return truncated();
                }
                return ethertype(u16(b, p + 14), b, p + 16, end, out);
            case LINKTYPE_LINUX_SLL2:
                if (end - p < 20) {
                    return truncated();
                }
                return ethertype(u16(b, p), b, p + 20, end, out);
            case LINKTYPE_NULL:
            case LINKTYPE_LOOP: {
                if (end - p < 4) {
                    return truncated();
                }
                long family;
                if (linkType == LINKTYPE_LOOP || (b[p] == 0 && b[p + 1] == 0)) {
                    family = u32(b, p);
                } else {
                    family = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (long) (b[p + 3] & 0xFF) << 24;
                }
                if (family == 2) {
                    return ipv4(b, p + 4, end, out);
                }
                if (family == 10 || family == 24 || family == 28 || family == 30) {
                    return ipv6(b, p + 4, end, out);
                }
                nonIp++;
                return false;
            }
            default:
                unsupportedLinkType++;
                return false;
        }
    }

    private boolean ethertype(int et, byte[] b, int p, int end, DecodedPacket out) {
        int tags = 0;
        while (et == ETHERTYPE_VLAN || et == ETHERTYPE_QINQ || et == ETHERTYPE_QINQ_OLD || et == ETHERTYPE_QINQ_OLD2) {
            if (++tags > MAX_VLAN_TAGS) {
                nonIp++;
                return false;
            }
            if (end - p < 4) {
                return truncated();
            }
            vlanTags++;
            et = u16(b, p + 2);
            p += 4;
        }
        if (et == ETHERTYPE_IPV4) {
            return ipv4(b, p, end, out);
        }
        if (et == ETHERTYPE_IPV6) {
            return ipv6(b, p, end, out);
        }
        nonIp++;
        return false;
    }

    private boolean ipByVersion(byte[] b, int p, int end, DecodedPacket out) {
        int v = (b[p] & 0xFF) >>> 4;
        if (v == 4) {
            return ipv4(b, p, end, out);
        }
        if (v == 6) {
            return ipv6(b, p, end, out);
        }
        badIpHeader++;
        return false;
    }

    private boolean ipv4(byte[] b, int p, int end, DecodedPacket out) {
        int avail = end - p;
        if (avail < 20) {
            return truncated();
        }
        int vihl = b[p] & 0xFF;
        int ihl = (vihl & 0x0F) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20) {
            badIpHeader++;
            return false;
        }
        if (avail < ihl) {
            return truncated();
        }
        int total = u16(b, p + 2);
        if (total == 0) {
            total = avail; // segmentation offload writes 0; use what was captured
        }
        if (total < ihl) {
            badIpHeader++;
            return false;
        }
        int capEnd = p + Math.min(total, avail);
        int frag = u16(b, p + 6);
        int proto = b[p + 9] & 0xFF;
        out.ipVersion = 4;
        out.addrLen = 4;
        System.arraycopy(b, p + 12, out.srcAddr, 0, 4);
        System.arraycopy(b, p + 16, out.dstAddr, 0, 4);
        boolean more = (frag & 0x2000) != 0;
        int fragOffset = (frag & 0x1FFF) << 3;
        if (more || fragOffset != 0) {
            ipv4Fragments++;
            if (avail < total) {
                return truncated(); // cannot reassemble from a short capture
            }
            FragmentReassembler.Datagram d = reassembler.offer(4, out.srcAddr, out.dstAddr, 4, u16(b, p + 4), proto,
                    fragOffset, more, b, p + ihl, total - ihl, out.tsNanos);
            if (d == null) {
                fragmentHeld++;
                return false;
            }
            out.ipLength = ihl + d.length;
            return transport(d.proto, d.buf, 0, d.length, d.length, out);
        }
        out.ipLength = total;
        return transport(proto, b, p + ihl, capEnd, total - ihl, out);
    }

    private boolean ipv6(byte[] b, int p, int end, DecodedPacket out) {
        int avail = end - p;
        if (avail < 40) {
            return truncated();
        }
        if (((b[p] & 0xFF) >>> 4) != 6) {
            badIpHeader++;
            return false;
        }
        int plen = u16(b, p + 4);
        int stated = plen == 0 ? avail : 40 + plen; // 0: jumbogram or offload; use what was captured
        int capEnd = p + Math.min(stated, avail);
        int statedEnd = p + stated;
        int nh = b[p + 6] & 0xFF;
        out.ipVersion = 6;
        out.addrLen = 16;
        System.arraycopy(b, p + 8, out.srcAddr, 0, 16);
        System.arraycopy(b, p + 24, out.dstAddr, 0, 16);
        out.ipLength = stated;
        int q = p + 40;
        boolean reassembledAlready = false;
        for (int i = 0; i <= MAX_IPV6_EXT_HEADERS; i++) {
            switch (nh) {
                case 0:
                case 43:
                case 60:
                case 51: {
                    if (capEnd - q < 2) {
                        return statedEnd - q < 2 ? bad() : truncated();
                    }
                    int hl = nh == 51 ? ((b[q + 1] & 0xFF) + 2) * 4 : ((b[q + 1] & 0xFF) + 1) * 8;
                    if (capEnd - q < hl) {
                        return statedEnd - q < hl ? bad() : truncated();
                    }
                    nh = b[q] & 0xFF;
                    q += hl;
                    break;
                }
                case 44: {
                    if (capEnd - q < 8) {
                        return statedEnd - q < 8 ? bad() : truncated();
                    }
                    int next = b[q] & 0xFF;
                    int offField = u16(b, q + 2);
                    int fragOffset = offField & 0xFFF8;
                    boolean more = (offField & 1) != 0;
                    long id = u32(b, q + 4);
                    ipv6Fragments++;
                    if ((fragOffset == 0 && !more) || reassembledAlready) {
                        nh = next; // atomic fragment (RFC 6946)
                        q += 8;
                        break;
                    }
                    int unfragmentable = q - p;
                    q += 8;
                    if (capEnd < statedEnd) {
                        return truncated();
                    }
                    FragmentReassembler.Datagram d = reassembler.offer(6, out.srcAddr, out.dstAddr, 16, id, next,
                            fragOffset, more, b, q, capEnd - q, out.tsNanos);
                    if (d == null) {
                        fragmentHeld++;
                        return false;
                    }
                    out.ipLength = unfragmentable + d.length;
                    reassembledAlready = true;
                    nh = d.proto;
                    b = d.buf;
                    q = 0;
                    capEnd = d.length;
                    statedEnd = d.length;
                    break;
                }
                case 50:
                case 59:
                    out.protocol = nh;
                    otherTransport++;
                    return false;
                default:
                    return transport(nh, b, q, capEnd, statedEnd - q, out);
            }
        }
        badIpHeader++; // too many extension headers
        return false;
    }

    /**
     * @param stated transport bytes as stated by the IP layer
     */
    private boolean transport(int proto, byte[] b, int p, int capEnd, int stated, DecodedPacket out) {
        out.protocol = proto;
        int avail = capEnd - p;
        if (proto == DecodedPacket.PROTO_TCP) {
            if (avail < 20) {
                return stated < 20 ? badTransport() : truncated();
            }
            int doff = ((b[p + 12] & 0xFF) >>> 4) * 4;
            if (doff < 20 || doff > stated) {
                return badTransport();
            }
            if (doff > avail) {
                return truncated();
            }
            out.srcPort = u16(b, p);
            out.dstPort = u16(b, p + 2);
            out.seq = u32(b, p + 4);
            out.ack = u32(b, p + 8);
            out.tcpFlags = b[p + 13] & 0xFF;
            out.payload = b;
            out.payloadOffset = p + doff;
            out.payloadLength = avail - doff;
            tcp++;
            return true;
        }
        if (proto == DecodedPacket.PROTO_UDP) {
            if (avail < 8) {
                return stated < 8 ? badTransport() : truncated();
            }
            int ulen = u16(b, p + 4);
            if (ulen != 0 && ulen < 8) {
                return badTransport();
            }
            out.srcPort = u16(b, p);
            out.dstPort = u16(b, p + 2);
            out.seq = 0;
            out.ack = 0;
            out.tcpFlags = 0;
            out.payload = b;
            out.payloadOffset = p + 8;
            out.payloadLength = ulen == 0 ? avail - 8 : Math.min(avail, ulen) - 8;
            udp++;
            return true;
        }
        otherTransport++;
        return false;
    }

    private boolean truncated() {
        truncated++;
        return false;
    }

    private boolean bad() {
        badIpHeader++;
        return false;
    }

    private boolean badTransport() {
        badTransportHeader++;
        return false;
    }

    /** Fragments currently held for reassembly. */
    public int fragmentsInProgress() {
        return reassembler.inProgress();
    }

    /** A snapshot of the counters. */
    public DecodeStats stats() {
        FragmentReassembler r = reassembler;
        return new DecodeStats(packets, tcp, udp, otherTransport, nonIp, unsupportedLinkType, truncated, badIpHeader,
                badTransportHeader, fragmentHeld, decodeErrors, vlanTags, ipv4Fragments, ipv6Fragments, r.reassembled,
                r.timeouts, r.overlaps, r.dropped, r.evicted);
    }

    /** The counters under stable snake_case names (see {@link DecodeStats#toMap()}). */
    public Map<String, Long> counters() {
        return stats().toMap();
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }
}
