package io.mcpwarden.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTextTest {

    /** RFC 5952 section 4 rules: lowercase, no leading zeros, longest zero run compressed, first on a tie. */
    @ParameterizedTest
    @CsvSource({
        "192.0.2.53, 192.0.2.53",
        "255.255.255.0, 255.255.255.0",
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "fe80:0:0:0:200:86ff:fe05:80da, fe80::200:86ff:fe05:80da",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:0",
        "1:0:0:0:0:0:0:0, 1::",
        "::ffff:c000:0235, ::ffff:192.0.2.53",
    })
    void canonicalText(String in, String expected) {
        byte[] a = Pkt.addr(in);
        if (a.length == 4 && in.startsWith("::ffff")) {
            // InetAddress folds mapped addresses to IPv4: rebuild the 16-byte form
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(a, 0, m, 12, 4);
            a = m;
        }
        assertEquals(expected, IpText.format(a, a.length));
    }
}
