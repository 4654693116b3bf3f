package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.policy.Api;
import org.mailroom.policy.MailboxStub;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;
import org.mailroom.testsupport.TopicReader;

/**
 * mailbox-service's over-quota rejection on mail.status becomes one DSN on mail.inbound, against the
 * real broker, read with read_committed as routing reads it.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(MailboxStub.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusBounceIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String HEADERS = "Received: from client.example by mx.test\r\nSubject: too big\r\n";

    @Inject
    StatusConsumer statusBounces;

    KafkaProducer<String, byte[]> producer;

    @BeforeAll
    void producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void close() {
        producer.close();
    }

    /** What mailbox-service publishes when the account's quota refuses the delivery. */
    static StatusEvent overQuota(String queueId, String mailbox, Set<Recipient.Notify> notify) {
        StatusEvent.Original original = new StatusEvent.Original("sender@remote.example",
                new Recipient(mailbox, notify, null), null, "ENV-" + queueId, Instant.now(), false, HEADERS, false);
        return new StatusEvent(queueId, mailbox, StatusEvent.Status.REJECTED, "552 5.2.2 mailbox full: quota exceeded",
                "mailbox-service", Instant.now(), original);
    }

    void publish(StatusEvent e) throws Exception {
        producer.send(new ProducerRecord<>(Topics.STATUS, e.queueId(), EventCodec.encode(e))).get();
    }

    static List<InboundMessage> dsns(TopicReader inbound, String dsnId, Duration window) {
        return inbound.drain(window).stream().filter(r -> dsnId.equals(r.key()))
                .map(r -> EventCodec.decodeInbound(r.value())).toList();
    }

    @Test
    void anOverQuotaRejectionReportedTwiceBouncesOnceToTheSender() throws Exception {
        String queueId = QueueId.next();
        StatusEvent rejected = overQuota(queueId, "full@route.test", null);
        String dsnId = StatusBounce.dsnQueueId(queueId, "full@route.test");
        try (TopicReader inbound = TopicReader.fromEnd(Infra.kafka(), Topics.INBOUND);
                TopicReader status = TopicReader.fromEnd(Infra.kafka(), Topics.STATUS)) {
            publish(rejected);
            assertNotNull(inbound.await(r -> dsnId.equals(r.key()), WAIT), "the DSN");
            publish(rejected); // mail.local redelivered: mailbox-service reports the rejection again
            List<InboundMessage> copies = dsns(inbound, dsnId, Duration.ofSeconds(4));
            assertEquals(1, copies.size(), "one DSN however often the rejection is reported");
            InboundMessage dsn = copies.get(0);
            Envelope env = dsn.envelope();
            assertTrue(env.nullSender());
            assertEquals(Router.BOUNCE_LISTENER, env.listener());
            assertEquals(List.of(Recipient.of("sender@remote.example")), env.recipients());
            String text = new String(dsn.message(), StandardCharsets.UTF_8);
            assertTrue(text.contains("Final-Recipient: rfc822; full@route.test\r\nAction: failed\r\nStatus: 5.2.2\r\n"), text);
            assertTrue(text.contains("Original-Envelope-Id: ENV-" + queueId + "\r\n"), text);
            assertTrue(text.contains("Content-Type: text/rfc822-headers\r\n\r\n" + HEADERS), text);

            ConsumerRecord<String, byte[]> bounced = status.await(r -> queueId.equals(r.key())
                    && EventCodec.decodeStatus(r.value()).status() == StatusEvent.Status.BOUNCED, WAIT);
            assertNotNull(bounced, "the bounce is reported on mail.status");
            assertTrue(EventCodec.decodeStatus(bounced.value()).reason().startsWith("DSN " + dsnId), bounced.toString());
            long reports = status.drain(Duration.ZERO).stream().filter(r -> queueId.equals(r.key()))
                    .map(r -> EventCodec.decodeStatus(r.value())).filter(s -> s.status() == StatusEvent.Status.BOUNCED).count();
            assertEquals(1, reports);
        }
    }

    @Test
    void notifyNeverMakesNoDsn() throws Exception {
        String queueId = QueueId.next();
        String neverId = StatusBounce.dsnQueueId(queueId, "quiet@route.test");
        String markerId = StatusBounce.dsnQueueId(queueId, "marker@route.test");
        try (TopicReader inbound = TopicReader.fromEnd(Infra.kafka(), Topics.INBOUND)) {
            publish(overQuota(queueId, "quiet@route.test", EnumSet.of(Recipient.Notify.NEVER)));
            // The same key, so the same partition, right after: once its DSN is out, the first was read.
            publish(overQuota(queueId, "marker@route.test", null));
            assertNotNull(inbound.await(r -> markerId.equals(r.key()), WAIT));
            assertEquals(List.of(), dsns(inbound, neverId, Duration.ofSeconds(1)), "NOTIFY=NEVER: no DSN");
        }
    }

    /**
     * The loop dies after it produced the DSN and before it committed: the status record is read
     * again by the next life, and read_committed readers see one DSN.
     */
    @Test
    void aCrashBetweenProduceAndCommitStillMakesOneDsn() throws Exception {
        String queueId = QueueId.next();
        String dsnId = StatusBounce.dsnQueueId(queueId, "crash@route.test");
        try (TopicReader inbound = TopicReader.fromEnd(Infra.kafka(), Topics.INBOUND)) {
            statusBounces.crashBeforeNextCommit();
            publish(overQuota(queueId, "crash@route.test", EnumSet.of(Recipient.Notify.FAILURE)));
            Api.await(() -> !statusBounces.alive(), WAIT);
            statusBounces.start(); // the same transactional.id aborts the dangling transaction
            assertNotNull(inbound.await(r -> dsnId.equals(r.key()), WAIT));
            assertEquals(1, dsns(inbound, dsnId, Duration.ofSeconds(3)).size(), "exactly one committed DSN");
        }
    }
}
