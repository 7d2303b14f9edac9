package io.mcpwarden.tls.decrypt;

/**
 * The secrets logged for one connection (one client random). Any of them may be null.
 *
 * @param masterSecret          TLS 1.2 master secret ({@code CLIENT_RANDOM})
 * @param clientHandshakeSecret {@code CLIENT_HANDSHAKE_TRAFFIC_SECRET}
 * @param serverHandshakeSecret {@code SERVER_HANDSHAKE_TRAFFIC_SECRET}
 * @param clientTrafficSecret0  {@code CLIENT_TRAFFIC_SECRET_0}
 * @param serverTrafficSecret0  {@code SERVER_TRAFFIC_SECRET_0}
 */
public record TlsSecrets(byte[] masterSecret, byte[] clientHandshakeSecret, byte[] serverHandshakeSecret,
                         byte[] clientTrafficSecret0, byte[] serverTrafficSecret0) {
    static final TlsSecrets EMPTY = new TlsSecrets(null, null, null, null, null);

    TlsSecrets with(SecretLabel l, byte[] s) {
        byte[] c = s.clone();
        return switch (l) {
            case CLIENT_RANDOM -> new TlsSecrets(c, clientHandshakeSecret, serverHandshakeSecret,
                    clientTrafficSecret0, serverTrafficSecret0);
            case CLIENT_HANDSHAKE_TRAFFIC_SECRET -> new TlsSecrets(masterSecret, c, serverHandshakeSecret,
                    clientTrafficSecret0, serverTrafficSecret0);
            case SERVER_HANDSHAKE_TRAFFIC_SECRET -> new TlsSecrets(masterSecret, clientHandshakeSecret, c,
                    clientTrafficSecret0, serverTrafficSecret0);
            case CLIENT_TRAFFIC_SECRET_0 -> new TlsSecrets(masterSecret, clientHandshakeSecret,
                    serverHandshakeSecret, c, serverTrafficSecret0);
            case SERVER_TRAFFIC_SECRET_0 -> new TlsSecrets(masterSecret, clientHandshakeSecret,
                    serverHandshakeSecret, clientTrafficSecret0, c);
        };
    }

    static TlsSecrets merge(TlsSecrets a, TlsSecrets b) {
        return new TlsSecrets(pick(b.masterSecret, a.masterSecret), pick(b.clientHandshakeSecret, a.clientHandshakeSecret),
                pick(b.serverHandshakeSecret, a.serverHandshakeSecret), pick(b.clientTrafficSecret0, a.clientTrafficSecret0),
                pick(b.serverTrafficSecret0, a.serverTrafficSecret0));
    }

    private static byte[] pick(byte[] x, byte[] y) {
        return x != null ? x : y;
    }

    /** @return true when the four TLS 1.3 traffic secrets are present */
    public boolean hasTls13() {
        return clientHandshakeSecret != null && serverHandshakeSecret != null && clientTrafficSecret0 != null
                && serverTrafficSecret0 != null;
    }

    @Override
    public String toString() {
        return "TlsSecrets[master=" + (masterSecret != null) + ", tls13=" + hasTls13() + "]";
    }
}
