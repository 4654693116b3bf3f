package org.mailroom.ingress.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailroom.ingress.directory.DirectoryLoader;
import org.mailroom.ingress.session.Listener;
import org.mailroom.testsupport.MailroomTestResources;

/** Behind a load balancer: the PROXY header's client address is what the relay rules see. */
@QuarkusTest
@TestProfile(ProxyProtocolIT.Proxy.class)
@WithTestResource(value = MailroomTestResources.class, initArgs = @ResourceArg(name = "database", value = "false"))
class ProxyProtocolIT {

    public static class Proxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingress.mx.proxy-protocol", "true");
        }
    }

    @Inject
    SmtpServer server;

    @Inject
    DirectoryLoader directory;

    @BeforeEach
    void directory() {
        TestDirectory.ensure(directory);
    }

    private String rcptRemoteFrom(String proxyLine) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port(Listener.MX))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write((proxyLine + "HELO lb.example\r\nMAIL FROM:<app@example.test>\r\nRCPT TO:<x@remote.example>\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("220 "));
            assertTrue(in.readLine().startsWith("250 "));
            assertTrue(in.readLine().startsWith("250 "));
            return in.readLine();
        }
    }

    @Test
    void trustedClientBehindTheBalancerMayRelay() throws Exception {
        assertTrue(rcptRemoteFrom("PROXY TCP4 10.1.2.3 192.0.2.25 40000 25\r\n").startsWith("250 2.1.5"));
    }

    @Test
    void internetClientBehindTheBalancerMayNot() throws Exception {
        assertTrue(rcptRemoteFrom("PROXY TCP4 198.51.100.7 192.0.2.25 40000 25\r\n").startsWith("554 5.7.1"));
    }

    @Test
    void noHeaderNoSession() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port(Listener.MX))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("EHLO x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, s.getInputStream().read(), "closed without a greeting");
        }
    }
}
