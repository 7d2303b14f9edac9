package io.mcpwarden.tls.decrypt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The TLS 1.2 PRF (RFC 5246 §5): P_hash(secret, label + seed) with the suite's hash. */
final class Tls12Prf {
    private Tls12Prf() {
    }

    static byte[] prf(String hmac, byte[] secret, String label, byte[] seed, int length)
            throws GeneralSecurityException {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] ls = new byte[l.length + seed.length];
        System.arraycopy(l, 0, ls, 0, l.length);
        System.arraycopy(seed, 0, ls, l.length, seed.length);
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(secret, hmac));
        byte[] out = new byte[length];
        byte[] a = ls;
        int have = 0;
        while (have < length) {
            a = mac.doFinal(a);              // A(i) = HMAC(secret, A(i-1))
            mac.update(a);
            byte[] p = mac.doFinal(ls);      // HMAC(secret, A(i) + seed)
            int n = Math.min(p.length, length - have);
            System.arraycopy(p, 0, out, have, n);
            have += n;
        }
        return out;
    }
}
