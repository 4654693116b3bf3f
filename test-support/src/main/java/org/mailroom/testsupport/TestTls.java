package org.mailroom.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} (and 127.0.0.1), made once per test JVM with
 * {@code openssl}, as deploy/local makes one. Nothing is committed: it lives in a temporary folder.
 */
public final class TestTls {

    private static Path dir;

    public static synchronized Path certificate() {
        ensure();
        return dir.resolve("cert.pem");
    }

    public static synchronized Path key() {
        ensure();
        return dir.resolve("key.pem");
    }

    private static void ensure() {
        if (dir != null) {
            return;
        }
        try {
            Path d = Files.createTempDirectory("mailroom-tls-");
            Process p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", d.resolve("key.pem").toString(), "-out", d.resolve("cert.pem").toString()))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + output);
            }
            dir = d;
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed to make the test certificate (deploy/local/prereqs)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private TestTls() {}
}
