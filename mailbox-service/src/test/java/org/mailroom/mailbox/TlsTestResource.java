package org.mailroom.mailbox;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed pair for localhost (SAN DNS:localhost, IP:127.0.0.1), made at test start as
 * deploy/local makes one, handed to the service as {@code mailbox.tls.cert}/{@code key}.
 */
public class TlsTestResource implements QuarkusTestResourceLifecycleManager {

    private static Path dir;

    /** The PEM certificate, for clients that verify it (curl --cacert, Python cafile). */
    public static synchronized Path cert() {
        ensure();
        return dir.resolve("cert.pem");
    }

    public static synchronized Path key() {
        ensure();
        return dir.resolve("key.pem");
    }

    @Override
    public Map<String, String> start() {
        return Map.of("mailbox.tls.cert", cert().toString(), "mailbox.tls.key", key().toString());
    }

    @Override
    public void stop() {
        // kept for the JVM: other test classes share it
    }

    private static void ensure() {
        if (dir != null) {
            return;
        }
        try {
            Path d = Files.createTempDirectory("mailbox-tls-");
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair pair = gen.generateKeyPair();
            X500Name name = new X500Name("CN=localhost");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
            write(d.resolve("cert.pem"), holder);
            write(d.resolve("key.pem"), new JcaPKCS8Generator(pair.getPrivate(), null).generate());
            dir = d;
        } catch (Exception e) {
            throw new IllegalStateException("could not make the test TLS pair", e);
        }
    }

    private static void write(Path file, Object pem) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(pem);
        }
    }
}
