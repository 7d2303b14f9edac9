package io.mcpwarden.dissect.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper writing TLS wire format (RFC 8446 §4, §5) for hand-made hellos and records. */
final class Hs {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Hs u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    Hs u16(int v) {
        return u8(v >> 8).u8(v);
    }

    Hs u24(int v) {
        return u8(v >> 16).u16(v);
    }

    Hs bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    byte[] build() {
        return out.toByteArray();
    }

    static byte[] u16s(int... v) {
        Hs h = new Hs();
        for (int x : v) {
            h.u16(x);
        }
        return h.build();
    }

    /** One extension: type, length, data. */
    record Ext(int type, byte[] data) {
    }

    static Ext ext(int type, byte[] data) {
        return new Ext(type, data);
    }

    static Ext sni(String host) {
        byte[] h = host.getBytes(StandardCharsets.ISO_8859_1);
        return ext(0, new Hs().u16(h.length + 3).u8(0).u16(h.length).bytes(h).build());
    }

    static Ext alpn(String... names) {
        Hs list = new Hs();
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.ISO_8859_1);
            list.u8(b.length).bytes(b);
        }
        byte[] l = list.build();
        return ext(16, new Hs().u16(l.length).bytes(l).build());
    }

    static Ext sigAlgs(int... v) {
        return ext(13, new Hs().u16(v.length * 2).bytes(u16s(v)).build());
    }

    static Ext groups(int... v) {
        return ext(10, new Hs().u16(v.length * 2).bytes(u16s(v)).build());
    }

    static Ext versions(int... v) {
        return ext(43, new Hs().u8(v.length * 2).bytes(u16s(v)).build());
    }

    static byte[] extensions(List<Ext> exts) {
        Hs e = new Hs();
        for (Ext x : exts) {
            e.u16(x.type()).u16(x.data().length).bytes(x.data());
        }
        return e.build();
    }

    /** ClientHello handshake message (header included). {@code exts} null = no extensions block at all. */
    static byte[] clientHello(int legacy, int[] ciphers, List<Ext> exts) {
        Hs body = new Hs().u16(legacy).bytes(new byte[32]).u8(32).bytes(new byte[32])
                .u16(ciphers.length * 2).bytes(u16s(ciphers)).u8(1).u8(0);
        if (exts != null) {
            byte[] e = extensions(exts);
            body.u16(e.length).bytes(e);
        }
        return handshake(1, body.build());
    }

    /** ServerHello handshake message; {@code random} null = zeros. */
    static byte[] serverHello(int legacy, byte[] random, int cipher, List<Ext> exts) {
        Hs body = new Hs().u16(legacy).bytes(random == null ? new byte[32] : random).u8(0).u16(cipher).u8(0);
        if (exts != null) {
            byte[] e = extensions(exts);
            body.u16(e.length).bytes(e);
        }
        return handshake(2, body.build());
    }

    static byte[] handshake(int type, byte[] body) {
        return new Hs().u8(type).u24(body.length).bytes(body).build();
    }

    static byte[] record(int type, int version, byte[] body) {
        return new Hs().u8(type).u16(version).u16(body.length).bytes(body).build();
    }

    static byte[] concat(byte[]... parts) {
        Hs h = new Hs();
        for (byte[] p : parts) {
            h.bytes(p);
        }
        return h.build();
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static List<Integer> ints(int... v) {
        List<Integer> l = new ArrayList<>();
        for (int x : v) {
            l.add(x);
        }
        return l;
    }
}
