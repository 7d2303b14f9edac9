package io.mcpwarden.capture;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Snapshot of {@link PacketDecoder} counters. Every decode call counts in {@code packets} and in exactly one
 * outcome counter: {@code tcp}, {@code udp}, {@code otherTransport}, {@code nonIp}, {@code unsupportedLinkType},
 * {@code truncated}, {@code badIpHeader}, {@code badTransportHeader}, {@code fragmentHeld} (a fragment kept for
 * reassembly, or dropped by it) or {@code decodeErrors}. Fragment counters are counted in addition.
 */
public record DecodeStats(
        long packets,
        long tcp,
        long udp,
        long otherTransport,
        long nonIp,
        long unsupportedLinkType,
        long truncated,
        long badIpHeader,
        long badTransportHeader,
        long fragmentHeld,
        long decodeErrors,
        long vlanTags,
        long ipv4Fragments,
        long ipv6Fragments,
        long reassembled,
        long fragmentTimeouts,
        long fragmentOverlaps,
        long fragmentDropped,
        long fragmentEvicted) {

    /** The counters under stable snake_case names, in a fixed order. */
    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets", packets);
        m.put("tcp", tcp);
        m.put("udp", udp);
        m.put("other_transport", otherTransport);
        m.put("non_ip", nonIp);
        m.put("unsupported_link_type", unsupportedLinkType);
        m.put("truncated", truncated);
        m.put("bad_ip_header", badIpHeader);
        m.put("bad_transport_header", badTransportHeader);
        m.put("fragment_held", fragmentHeld);
        m.put("decode_errors", decodeErrors);
        m.put("vlan_tags", vlanTags);
        m.put("ipv4_fragments", ipv4Fragments);
        m.put("ipv6_fragments", ipv6Fragments);
        m.put("reassembled", reassembled);
        m.put("fragment_timeouts", fragmentTimeouts);
        m.put("fragment_overlaps", fragmentOverlaps);
        m.put("fragment_dropped", fragmentDropped);
        m.put("fragment_evicted", fragmentEvicted);
        return m;
    }
}
