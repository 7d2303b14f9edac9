package io.mcpwarden.tls.decrypt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF (RFC 5869) over HMAC and TLS 1.3's HKDF-Expand-Label (RFC 8446 §7.1). */
final class Hkdf {
    private Hkdf() {
    }

    static byte[] extract(String hmac, byte[] salt, byte[] ikm) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hmac);
        byte[] s = salt == null || salt.length == 0 ? new byte[mac.getMacLength()] : salt;
        mac.init(new SecretKeySpec(s, hmac));
        return mac.doFinal(ikm);
    }

    static byte[] expand(String hmac, byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(prk, hmac));
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int have = 0;
        for (int i = 1; have < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - have);
            System.arraycopy(t, 0, out, have, n);
            have += n;
        }
        return out;
    }

    /**
     * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length) with
     * HkdfLabel = uint16 length || opaque label&lt;7..255&gt; = "tls13 " + Label || opaque context&lt;0..255&gt;.
     */
    static byte[] expandLabel(String hmac, byte[] secret, String label, byte[] context, int length)
            throws GeneralSecurityException {
        byte[] l = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + l.length + 1 + context.length];
        info[0] = (byte) (length >> 8);
        info[1] = (byte) length;
        info[2] = (byte) l.length;
        System.arraycopy(l, 0, info, 3, l.length);
        info[3 + l.length] = (byte) context.length;
        System.arraycopy(context, 0, info, 4 + l.length, context.length);
        return expand(hmac, secret, info, length);
    }
}
