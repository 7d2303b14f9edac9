package io.mcpwarden.siem.internal;

import io.mcpwarden.siem.SyslogDestination;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * A TCP or TLS connection to a syslog receiver with octet-counting framing (RFC 6587 §3.4.1, used over TLS by
 * RFC 5425 §4.3): {@code MSG-LEN SP SYSLOG-MSG}. A watcher thread reads from the socket so that a receiver
 * closing the connection is noticed before the next write.
 */
final class StreamConnection implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final Thread watcher;
    private volatile boolean dead;
    private volatile String deadReason;

    private StreamConnection(Socket socket, String name) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        InputStream in = socket.getInputStream();
        this.watcher = new Thread(() -> {
            byte[] b = new byte[512];
            try {
                while (in.read(b) >= 0) {
                    // syslog receivers do not talk back; ignore
                }
                deadReason = "connection closed by the destination";
            } catch (IOException e) {
                deadReason = "connection lost: " + e.getMessage();
            }
            dead = true;
        }, "siem-watch-" + name);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Connects, and for TLS completes the handshake with certificate and host name verification. */
    static StreamConnection open(SyslogDestination d, SSLSocketFactory tls, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(d.host(), d.port()), timeoutMs);
            if (tls != null) {
                SSLSocket ss = (SSLSocket) tls.createSocket(s, d.host(), d.port(), true);
                SSLParameters p = ss.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 5425 §5.2 / RFC 6125 name check
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                ss.setSSLParameters(p);
                ss.setSoTimeout(timeoutMs);
                ss.startHandshake();
                ss.setSoTimeout(0);
                s = ss;
            }
            return new StreamConnection(s, d.name());
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignore) {
                // already failing
            }
            throw e;
        }
    }

    /** Buffers one message with its length prefix. */
    void write(byte[] msg) throws IOException {
        if (dead) {
            throw new IOException(deadReason);
        }
        out.write(Integer.toString(msg.length).getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.write(msg);
    }

    void flush() throws IOException {
        if (dead) {
            throw new IOException(deadReason);
        }
        out.flush();
    }

    boolean dead() {
        return dead;
    }

    String deadReason() {
        return deadReason;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignore) {
            // closing
        }
    }

    /** The socket factory for a tls destination: CA file (or JDK trust store) and optional client key. */
    static SSLSocketFactory tlsFactory(SyslogDestination d) throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (d.caFile() != null) {
            Collection<? extends Certificate> cas = certificates(d.caFile(), "CA file");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : cas) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            tmf.init(ks);
        } else {
            tmf.init((KeyStore) null);
        }
        KeyManagerFactory kmf = null;
        if (d.clientCert() != null) {
            Collection<? extends Certificate> chain = certificates(d.clientCert(), "client certificate");
            PrivateKey key = privateKey(d.clientKey());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "x".toCharArray();
            ks.setKeyEntry("client", key, pw, chain.toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    private static Collection<? extends Certificate> certificates(Path f, String what)
            throws IOException, CertificateException {
        if (!Files.isReadable(f)) {
            throw new IOException(what + " " + f + " is not readable");
        }
        try (InputStream in = Files.newInputStream(f)) {
            Collection<? extends Certificate> c = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (c.isEmpty()) {
                throw new CertificateException(what + " " + f + " holds no PEM certificate");
            }
            return c;
        } catch (CertificateException e) {
            throw new CertificateException(what + " " + f + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}); EC, RSA or Ed25519. */
    private static PrivateKey privateKey(Path f) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(f)) {
            throw new IOException("client key " + f + " is not readable");
        }
        String pem = Files.readString(f, StandardCharsets.US_ASCII);
        int b = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = pem.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            throw new GeneralSecurityException("client key " + f
                    + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert with openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + 27, e));
        for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignore) {
                // next algorithm
            }
        }
        throw new GeneralSecurityException("client key " + f + ": unsupported key algorithm");
    }

    /** A failure in words an operator can act on. */
    static String describe(Throwable t, SyslogDestination d) {
        String where = d.host() + ":" + d.port();
        if (t instanceof ConnectException) {
            return "cannot connect to " + where + ": " + t.getMessage();
        }
        if (t instanceof UnknownHostException) {
            return "unknown host " + d.host();
        }
        if (t instanceof SocketTimeoutException) {
            return d.transport() == SyslogDestination.Transport.TLS
                    ? "TLS handshake with " + where + " timed out: the destination does not answer TLS"
                    : "connect to " + where + " timed out";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof CertPathValidatorException || m.contains("PKIX path")
                    || m.contains("unable to find valid certification path")) {
                return "TLS: the certificate of " + where + " is not signed by a trusted CA ("
                        + (d.caFile() != null ? "CA file " + d.caFile() : "JDK trust store") + "): " + m;
            }
            if (m.contains("No subject alternative") || m.contains("No name matching")
                    || m.contains("doesn't match")) {
                return "TLS: the certificate of " + where + " does not match the host name '" + d.host() + "': " + m;
            }
        }
        if (t instanceof SSLHandshakeException || t instanceof SSLException) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext")) {
                return "TLS: " + where + " did not answer with TLS (a plain TCP service?): " + m;
            }
            if (m.contains("closed") || m.contains("Remote host terminated")) {
                return "TLS: " + where + " closed the connection during the handshake"
                        + " (not TLS, or it rejected our certificate): " + m;
            }
            return "TLS with " + where + " failed: " + m;
        }
        if (t instanceof GeneralSecurityException) {
            return "TLS setup for " + where + " failed: " + t.getMessage();
        }
        return t.getClass().getSimpleName() + " on " + where + ": " + t.getMessage();
    }
}
