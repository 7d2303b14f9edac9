package io.mcpwarden.dissect.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper that writes DNS wire format byte by byte (RFC 1035 §4.1), including hand-made pointers. */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Wire header(int id, int flags, int qd, int an, int ns, int ar) {
        return new Wire().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    int pos() {
        return out.size();
    }

    Wire u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    Wire u16(int v) {
        return u8(v >> 8).u8(v);
    }

    Wire u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    Wire bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    Wire bytes(int... b) {
        for (int v : b) {
            u8(v);
        }
        return this;
    }

    /** Uncompressed name from dotted text ("" or "." = root). */
    Wire name(String dotted) {
        labels(dotted);
        return u8(0);
    }

    /** Labels only, no terminator: follow with {@link #ptr} or {@code u8(0)}. */
    Wire labels(String dotted) {
        if (!dotted.isEmpty() && !dotted.equals(".")) {
            for (String l : dotted.split("\\.")) {
                byte[] b = l.getBytes(StandardCharsets.ISO_8859_1);
                u8(b.length).bytes(b);
            }
        }
        return this;
    }

    Wire ptr(int offset) {
        return u16(0xC000 | offset);
    }

    Wire question(String name, int type) {
        return name(name).u16(type).u16(1);
    }

    /** RR header after the owner name: TYPE, CLASS IN, TTL, RDLENGTH. */
    Wire rr(int type, long ttl, int rdlen) {
        return u16(type).u16(1).u32(ttl).u16(rdlen);
    }

    byte[] build() {
        return out.toByteArray();
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
