package io.mcpwarden.policy.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range; parses literals only (never resolves a name). */
record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
        String t = text == null ? "" : text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] a = literal(addr);
        if (a == null) {
            throw new IllegalArgumentException("bad address in CIDR '" + text + "'");
        }
        int prefix = a.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in CIDR '" + text + "'");
            }
            if (prefix < 0 || prefix > a.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in CIDR '" + text + "'");
            }
        }
        return new Cidr(a, prefix);
    }

    /** The address bytes of an IPv4 or IPv6 literal, null when the text is not a literal. */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || (c >= 'a' && c <= 'f')));
            if (!ok) {
                return null;
            }
        }
        if (!v6 && s.split("\\.", -1).length != 4) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    boolean contains(String address) {
        byte[] a = literal(address);
        if (a == null || a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }
}
