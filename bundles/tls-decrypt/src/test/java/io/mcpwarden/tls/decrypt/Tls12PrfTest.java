package io.mcpwarden.tls.decrypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The TLS 1.2 PRF against the SHA-256 test vector published on the IETF TLS list (Joseph Birr-Pixton). */
class Tls12PrfTest {
    @Test
    void sha256Vector() throws Exception {
        byte[] secret = HexFormat.of().parseHex("9bbe436ba940f017b17652849a71db35");
        byte[] seed = HexFormat.of().parseHex("a0ba9f936cda311827a6f796ffd5198c");
        byte[] want = HexFormat.of().parseHex("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
                + "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
                + "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
                + "87347b66");
        assertArrayEquals(want, Tls12Prf.prf("HmacSHA256", secret, "test label", seed, want.length));
    }
}
