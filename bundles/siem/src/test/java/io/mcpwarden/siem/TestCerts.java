package io.mcpwarden.siem;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A test CA made with Bouncy Castle (EC P-256), and leaves it signs, written as PEM files. */
final class TestCerts {
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    final KeyPair key;
    final X509Certificate cert;

    private TestCerts(KeyPair key, X509Certificate cert) {
        this.key = key;
        this.cert = cert;
    }

    static TestCerts ca(String cn) throws Exception {
        KeyPair kp = ecKey();
        X500Name name = new X500Name("CN=" + cn);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                new Date(System.currentTimeMillis() - 3_600_000L), new Date(System.currentTimeMillis() + 86_400_000L),
                name, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestCerts(kp, sign(b, kp));
    }

    /** A leaf for the given DNS names (and 127.0.0.1), for server and client authentication. */
    TestCerts leaf(String cn, String... dnsNames) throws Exception {
        KeyPair kp = ecKey();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name(cert.getSubjectX500Principal().getName()), BigInteger.valueOf(SERIAL.incrementAndGet()),
                new Date(System.currentTimeMillis() - 3_600_000L), new Date(System.currentTimeMillis() + 86_400_000L),
                new X500Name("CN=" + cn), kp.getPublic());
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        return new TestCerts(kp, sign(b, key));
    }

    Path writeCert(Path f) throws Exception {
        Files.writeString(f, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
        return f;
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    Path writeKey(Path f) throws Exception {
        Files.writeString(f, pem("PRIVATE KEY", key.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        return f;
    }

    /** SEC 1 PEM ({@code BEGIN EC PRIVATE KEY}, with curve and public key), the form GnuTLS reads. */
    Path writeSec1Key(Path f) throws Exception {
        try (java.io.Writer w = Files.newBufferedWriter(f, StandardCharsets.US_ASCII);
             org.bouncycastle.openssl.jcajce.JcaPEMWriter p = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(w)) {
            p.writeObject(key);
        }
        return f;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair ecKey() throws Exception {
        // Bouncy Castle's encoding keeps curve and public key in the private key, which GnuTLS needs
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }
}
