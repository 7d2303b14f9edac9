package io.mcpwarden.capture;

/**
 * A frame decoded down to the transport layer. Mutable and reused by {@link PacketDecoder}: valid until the
 * next decode call. Addresses are kept as bytes (4 for IPv4, 16 for IPv6) to avoid per-packet strings.
 */
public final class DecodedPacket {
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_PSH = 0x08;
    public static final int TCP_ACK = 0x10;

    /** Capture time, nanoseconds since the epoch. */
    public long tsNanos;
    /** 4 or 6. */
    public int ipVersion;
    /** Source address bytes; the first {@link #addrLen} bytes are valid. */
    public final byte[] srcAddr = new byte[16];
    /** Destination address bytes; the first {@link #addrLen} bytes are valid. */
    public final byte[] dstAddr = new byte[16];
    /** 4 or 16. */
    public int addrLen;
    /** IP protocol number of the transport ({@link #PROTO_TCP}, {@link #PROTO_UDP}, or another). */
    public int protocol;
    public int srcPort;
    public int dstPort;
    /** TCP flags (low 8 bits), 0 for UDP. */
    public int tcpFlags;
    /** TCP sequence number (unsigned 32 bits in a long). */
    public long seq;
    /** TCP acknowledgement number (unsigned 32 bits in a long). */
    public long ack;
    /** Buffer holding the transport payload. */
    public byte[] payload;
    /** Offset of the transport payload in {@link #payload}. */
    public int payloadOffset;
    /** Bytes of transport payload actually captured. */
    public int payloadLength;
    /** Bytes of IP datagram (header + payload) as stated by the IP header, for byte counters. */
    public int ipLength;
}
