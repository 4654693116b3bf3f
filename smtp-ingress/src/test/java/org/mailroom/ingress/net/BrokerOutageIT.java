package org.mailroom.ingress.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.ingress.directory.DirectoryLoader;
import org.mailroom.ingress.session.Listener;
import org.mailroom.testsupport.KafkaProcess;
import org.mailroom.testsupport.KafkaServer;
import org.mailroom.testsupport.TestTls;
import org.mailroom.testsupport.TopicReader;

/**
 * The broker stops while a client is in DATA: the client gets 451, never 250. After the broker is
 * back the same client's retry is accepted, and mail.inbound holds exactly one copy.
 */
@QuarkusTest
@TestProfile(BrokerOutageIT.OwnBroker.class)
class BrokerOutageIT {

    static final KafkaProcess BROKER = new KafkaProcess();

    public static class OwnBroker implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(BrokerResource.class));
        }
    }

    public static class BrokerResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            BROKER.start();
            return Map.of("kafka.bootstrap.servers", BROKER.bootstrapServers(),
                    "mailroom.tls.cert", TestTls.certificate().toString(),
                    "mailroom.tls.key", TestTls.key().toString());
        }

        @Override
        public void stop() {
            BROKER.close();
        }
    }

    @Inject
    SmtpServer server;

    @Inject
    DirectoryLoader directory;

    @Test
    void brokerDownMeans451AndTheRetryIsStoredOnce() throws Exception {
        KafkaServer kafka = KafkaServer.external(BROKER.bootstrapServers());
        TestDirectory.ensure(directory, kafka);
        String marker = "outage-" + UUID.randomUUID();
        try (Socket s = new Socket("127.0.0.1", server.port(Listener.MX))) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("220"));
            send(out, "HELO client.example\r\n");
            assertTrue(in.readLine().startsWith("250"));

            send(out, "MAIL FROM:<bob@example.net>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
            assertTrue(in.readLine().startsWith("250"));
            assertTrue(in.readLine().startsWith("250"));
            assertTrue(in.readLine().startsWith("354"));
            send(out, "Subject: " + marker + "\r\n\r\nbody\r\n");
            BROKER.stop();
            Instant sentDot = Instant.now();
            send(out, ".\r\n");
            String reply = in.readLine();
            assertTrue(reply.startsWith("451 4.3.0"), "broker down must be 451, got " + reply);
            assertTrue(Duration.between(sentDot, Instant.now()).toSeconds() <= 20, "answered within the publish timeout");

            BROKER.start();
            String retry = null;
            for (int attempt = 0; attempt < 3 && (retry == null || !retry.startsWith("250")); attempt++) {
                send(out, "MAIL FROM:<bob@example.net>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
                assertTrue(in.readLine().startsWith("250"));
                assertTrue(in.readLine().startsWith("250"));
                assertTrue(in.readLine().startsWith("354"));
                send(out, "Subject: " + marker + "\r\n\r\nbody\r\n.\r\n");
                retry = in.readLine();
            }
            assertTrue(retry.startsWith("250 2.0.0 queued as"), "the retry after the broker is back: " + retry);
        }
        try (TopicReader reader = TopicReader.fromBeginning(kafka, Topics.INBOUND)) {
            List<ConsumerRecord<String, byte[]>> all = reader.drain(Duration.ofSeconds(5));
            long copies = all.stream()
                    .filter(r -> new String(EventCodec.decodeInbound(r.value()).message(), StandardCharsets.UTF_8).contains(marker))
                    .count();
            assertEquals(1, copies, "exactly one record for the one accepted message");
        }
    }

    private static void send(OutputStream out, String text) throws Exception {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
