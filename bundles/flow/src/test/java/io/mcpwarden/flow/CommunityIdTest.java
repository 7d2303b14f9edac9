package io.mcpwarden.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcpwarden.capture.DecodedPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommunityIdTest {

    /** Vectors from the Community ID spec's baseline (baseline_deflt.json and baseline_seed1.json). */
    @ParameterizedTest
    @CsvSource({
        "0, 6, 128.232.110.120, 34855, 66.35.250.204, 80, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
        "0, 6, 66.35.250.204, 80, 128.232.110.120, 34855, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
        "0, 17, 192.168.1.52, 54585, 8.8.8.8, 53, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        "0, 17, 8.8.8.8, 53, 192.168.1.52, 54585, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        "0, 6, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 2607:f8b0:400c:c03::1a, 25, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
        "0, 6, 2607:f8b0:400c:c03::1a, 25, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
        "0, 132, 192.168.170.8, 7, 192.168.170.56, 7, 1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
        "1, 6, 128.232.110.120, 34855, 66.35.250.204, 80, 1:3V71V58M3Ksw/yuFALMcW0LAHvc=",
        "1, 17, 8.8.8.8, 53, 192.168.1.52, 54585, 1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
        "1, 6, 2607:f8b0:400c:c03::1a, 25, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 1:eJYTW6AOzFLlSUoESovMjnu7rMw=",
    })
    void specBaseline(int seed, int proto, String src, int sport, String dst, int dport, String expected) {
        byte[] s = Pkt.addr(src);
        byte[] d = Pkt.addr(dst);
        assertEquals(expected, new CommunityId(seed).compute(s, sport, d, dport, s.length, proto));
    }

    @Test
    void portsMatterAndBadInputGivesNull() {
        byte[] a = Pkt.addr("10.0.0.1");
        byte[] b = Pkt.addr("10.0.0.2");
        assertNotEquals(CommunityId.of(a, 1000, b, 80, 4, 6), CommunityId.of(a, 1001, b, 80, 4, 6));
        assertNotEquals(CommunityId.of(a, 1000, b, 80, 4, 6), CommunityId.of(a, 1000, b, 80, 4, 17));
        assertNull(CommunityId.of(a, 1, b, 2, 16, 6));
        assertNull(CommunityId.of(null, 1, b, 2, 4, 6));
        assertNull(CommunityId.of(a, 1, b, 2, 5, 6));
    }

    /** The table computes the same value for the flow, whichever side sent the first packet. */
    @Test
    void flowRefCarriesCommunityId() {
        Recorder r = new Recorder();
        FlowTable t = new FlowTable(FlowConfig.DEFAULTS, r);
        DecodedPacket p = Pkt.udp(1, "8.8.8.8", 53, "192.168.1.52", 54585, "answer");
        t.process(p);
        assertEquals("1:d/FP5EW3wiY1vCndhwleRRKHowQ=", r.only().ref().communityId());
        // a DNS answer seen before its query still orients client -> server
        assertEquals("192.168.1.52", r.only().ref().srcIp());
        assertEquals(54585, r.only().ref().srcPort());
        assertEquals("8.8.8.8", r.only().ref().destIp());
        assertEquals("UDP", r.only().ref().proto());
    }
}
