package io.mcpwarden.flow;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID flow hash, version 1 (https://github.com/corelight/community-id-spec): SHA-1 over
 * seed (2 bytes, big endian), source address, destination address, protocol, one zero pad byte, source port,
 * destination port (2 bytes each, big endian), where the endpoint with the smaller (address, port) comes first;
 * base64 with the {@code 1:} prefix. Instances reuse one digest and are not thread-safe.
 */
public final class CommunityId {
    private final MessageDigest sha1;
    private final byte[] seed;

    /** A hasher with the given seed (0 is the common default). */
    public CommunityId(int seed) {
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
        this.seed = new byte[] {(byte) (seed >>> 8), (byte) seed};
    }

    /**
     * Community ID of a 5-tuple; the order of the endpoints does not matter.
     *
     * @param addrLen 4 (IPv4) or 16 (IPv6): the number of bytes used from each address array
     * @param proto   IP protocol number
     * @return the {@code 1:base64} string, or null when the addresses are shorter than {@code addrLen}
     */
    public String compute(byte[] srcAddr, int srcPort, byte[] dstAddr, int dstPort, int addrLen, int proto) {
        if (srcAddr == null || dstAddr == null || (addrLen != 4 && addrLen != 16)
                || srcAddr.length < addrLen || dstAddr.length < addrLen) {
            return null;
        }
        boolean swap = compareEndpoints(srcAddr, srcPort, dstAddr, dstPort, addrLen) > 0;
        byte[] a = swap ? dstAddr : srcAddr;
        byte[] b = swap ? srcAddr : dstAddr;
        int pa = (swap ? dstPort : srcPort) & 0xffff;
        int pb = (swap ? srcPort : dstPort) & 0xffff;
        sha1.reset();
        sha1.update(seed);
        sha1.update(a, 0, addrLen);
        sha1.update(b, 0, addrLen);
        sha1.update((byte) proto);
        sha1.update((byte) 0);
        sha1.update((byte) (pa >>> 8));
        sha1.update((byte) pa);
        sha1.update((byte) (pb >>> 8));
        sha1.update((byte) pb);
        return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
    }

    /** One-shot convenience with seed 0. */
    public static String of(byte[] srcAddr, int srcPort, byte[] dstAddr, int dstPort, int addrLen, int proto) {
        return new CommunityId(0).compute(srcAddr, srcPort, dstAddr, dstPort, addrLen, proto);
    }

    /** Orders endpoints by address (unsigned bytes), then port; negative when a &lt; b. */
    static int compareEndpoints(byte[] a, int aPort, byte[] b, int bPort, int len) {
        int c = java.util.Arrays.compareUnsigned(a, 0, len, b, 0, len);
        return c != 0 ? c : Integer.compare(aPort & 0xffff, bPort & 0xffff);
    }
}
