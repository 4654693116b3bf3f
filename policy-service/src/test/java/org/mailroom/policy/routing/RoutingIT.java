package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.policy.Api.admin;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.LocalDelivery;
import org.mailroom.core.event.OutboundDelivery;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.policy.Api;
import org.mailroom.policy.MailboxStub;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;
import org.mailroom.testsupport.TopicReader;

/** Routing against the real broker: publish to mail.inbound, read the outputs with read_committed. */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(MailboxStub.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final byte[] BODY = "Subject: routing\r\nMessage-ID: <1@test>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    @Inject
    RoutingConsumer routing;

    KafkaProducer<String, byte[]> producer;

    /** Once, before the first test (RestAssured knows the port only from the first test on). */
    @BeforeEach
    void directory() throws InterruptedException {
        if (producer != null) {
            return;
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Api.awaitReady();
        admin().body(Map.of("name", "route.test")).post("/api/v1/domains").then().statusCode(201);
        for (String user : List.of("alice", "bob", "temp")) {
            admin().body(Map.of("address", user + "@route.test", "password", "pw")).post("/api/v1/accounts").then().statusCode(201);
        }
        admin().body(Map.of("address", "team@route.test", "targets", List.of("alice@route.test", "bob@route.test")))
                .post("/api/v1/aliases").then().statusCode(201);
        admin().body(Map.of("address", "fwd@route.test", "targets", List.of("friend@remote.example", "alice@route.test")))
                .post("/api/v1/aliases").then().statusCode(201);
        admin().body(Map.of("address", "dangling@route.test", "targets", List.of("temp@route.test")))
                .post("/api/v1/aliases").then().statusCode(201);
        admin().delete("/api/v1/accounts/temp@route.test").then().statusCode(204);
    }

    @AfterAll
    void close() {
        if (producer != null) {
            producer.close();
        }
    }

    static InboundMessage message(String listener, String authUser, String mailFrom, String... rcpts) {
        Envelope env = new Envelope(QueueId.next(), Instant.now(), "ingress-1", listener, "203.0.113.9", "client.example",
                null, authUser, mailFrom, Arrays.stream(rcpts).map(Recipient::of).toList(), null, null, null, false, BODY.length);
        return new InboundMessage(env, BODY);
    }

    void publish(InboundMessage m) throws Exception {
        producer.send(new ProducerRecord<>(Topics.INBOUND, m.envelope().queueId(), EventCodec.encode(m))).get();
    }

    @Test
    void localRecipientsGetOneRecordPerMailboxAndRemoteOnesOnePerDomain() throws Exception {
        InboundMessage m = message("mx", null, "sender@internet.example",
                "team@route.test", "Alice+news@route.test", "stranger@remote.example", "fwd@route.test");
        String id = m.envelope().queueId();
        try (TopicReader local = TopicReader.fromEnd(Infra.kafka(), Topics.LOCAL);
                TopicReader outbound = TopicReader.fromEnd(Infra.kafka(), Topics.OUTBOUND);
                TopicReader status = TopicReader.fromEnd(Infra.kafka(), Topics.STATUS)) {
            publish(m);
            List<ConsumerRecord<String, byte[]>> statuses = awaitCount(status, id, 4);
            Map<String, StatusEvent> byRcpt = statuses.stream().map(r -> EventCodec.decodeStatus(r.value()))
                    .collect(Collectors.toMap(StatusEvent::recipient, s -> s));
            assertEquals(StatusEvent.Status.REJECTED, byRcpt.get("stranger@remote.example").status(), "no open relay");
            assertEquals(StatusEvent.Status.ROUTED, byRcpt.get("team@route.test").status());
            assertEquals("policy-service", byRcpt.get("team@route.test").service());

            List<LocalDelivery> deliveries = local.drain(Duration.ofSeconds(2)).stream()
                    .map(r -> EventCodec.decodeLocal(r.value())).filter(d -> d.envelope().queueId().equals(id)).toList();
            assertEquals(List.of("alice@route.test", "bob@route.test"),
                    deliveries.stream().map(LocalDelivery::mailbox).sorted().toList(), "each mailbox once");
            for (LocalDelivery d : deliveries) {
                assertEquals(List.of(Recipient.of("team@route.test")), d.envelope().recipients());
                assertArrayEquals(BODY, d.message());
            }
            ConsumerRecord<String, byte[]> out = outbound.await(r -> r.key().equals("remote.example")
                    && EventCodec.decodeOutbound(r.value()).envelope().queueId().equals(id), WAIT);
            assertNotNull(out);
            OutboundDelivery od = EventCodec.decodeOutbound(out.value());
            assertEquals(List.of("friend@remote.example"), od.envelope().recipients().stream().map(Recipient::address).toList());
            assertEquals("rfc822;fwd@route.test", od.envelope().recipients().get(0).orcpt());
        }
    }

    @Test
    void anUndeliverableRecipientOfALocalSenderBouncesToItsMailbox() throws Exception {
        InboundMessage m = message("submission", "alice@route.test", "alice@route.test", "dangling@route.test");
        try (TopicReader local = TopicReader.fromEnd(Infra.kafka(), Topics.LOCAL);
                TopicReader status = TopicReader.fromEnd(Infra.kafka(), Topics.STATUS)) {
            publish(m);
            ConsumerRecord<String, byte[]> bounced = status.await(r -> r.key().equals(m.envelope().queueId()), WAIT);
            assertNotNull(bounced);
            StatusEvent s = EventCodec.decodeStatus(bounced.value());
            assertEquals(StatusEvent.Status.BOUNCED, s.status());
            assertTrue(s.reason().contains("temp@route.test"), s.reason());
            ConsumerRecord<String, byte[]> dsn = local.await(r -> r.key().equals("alice@route.test")
                    && EventCodec.decodeLocal(r.value()).envelope().nullSender(), WAIT);
            assertNotNull(dsn, "the DSN went through mail.inbound and was routed to the sender's mailbox");
            assertTrue(new String(EventCodec.decodeLocal(dsn.value()).message(), StandardCharsets.UTF_8)
                    .contains("Final-Recipient: rfc822; dangling@route.test"));
        }
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithoutBlockingThePartition() throws Exception {
        InboundMessage after = message("mx", null, "s@internet.example", "bob@route.test");
        try (TopicReader dead = TopicReader.fromEnd(Infra.kafka(), Topics.DEADLETTER);
                TopicReader local = TopicReader.fromEnd(Infra.kafka(), Topics.LOCAL)) {
            // The same key as the good record: the same partition, just before it.
            producer.send(new ProducerRecord<>(Topics.INBOUND, after.envelope().queueId(),
                    "{\"type\":\"inbound\",\"v\":1}\ngarbage".getBytes(StandardCharsets.UTF_8))).get();
            publish(after);
            ConsumerRecord<String, byte[]> letter = dead.await(r -> after.envelope().queueId().equals(r.key()), WAIT);
            assertNotNull(letter);
            String reason = new String(letter.headers().lastHeader("mailroom-reason").value(), StandardCharsets.UTF_8);
            assertTrue(reason.startsWith("undecodable: "), reason);
            assertEquals(Topics.INBOUND, new String(letter.headers().lastHeader("mailroom-source-topic").value(), StandardCharsets.UTF_8));
            assertNotNull(local.await(r -> r.key().equals("bob@route.test")
                    && EventCodec.decodeLocal(r.value()).envelope().queueId().equals(after.envelope().queueId()), WAIT));
        }
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("policy_deadletters_total{reason=\"undecodable\"}"))
                .body(org.hamcrest.Matchers.containsString("policy_recipients_routed_total"))
                .body(org.hamcrest.Matchers.containsString("policy_routing_consumer_lag"))
                .body(org.hamcrest.Matchers.containsString("policy_directory_publish_lag_seconds"));
    }

    /**
     * The consumer dies after it produced a message's records and before it committed: nothing is
     * lost and nothing doubled for read_committed readers, although the aborted copy was written.
     */
    @Test
    void aCrashBetweenProduceAndCommitNeitherLosesNorDoublesARecipient() throws Exception {
        InboundMessage m = message("mx", null, "s@internet.example", "bob@route.test");
        String id = m.envelope().queueId();
        try (TopicReader committed = TopicReader.fromEnd(Infra.kafka(), Topics.LOCAL);
                Uncommitted uncommitted = new Uncommitted(Topics.LOCAL)) {
            routing.crashBeforeNextCommit();
            publish(m);
            assertNotNull(uncommitted.await(id, 1), "the records were produced before the crash");
            Api.await(() -> !routing.alive(), WAIT);
            routing.start(); // a new life with the same transactional.id aborts the dangling transaction
            assertNotNull(committed.await(r -> EventCodec.decodeLocal(r.value()).envelope().queueId().equals(id), WAIT));
            List<ConsumerRecord<String, byte[]>> copies = committed.drain(Duration.ofSeconds(3)).stream()
                    .filter(r -> EventCodec.decodeLocal(r.value()).envelope().queueId().equals(id)).toList();
            assertEquals(1, copies.size(), "exactly one committed delivery");
            assertNotNull(uncommitted.await(id, 2), "the aborted copy and the committed one");
        }
        Api.awaitReady();
    }

    private static List<ConsumerRecord<String, byte[]>> awaitCount(TopicReader reader, String key, int n) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        reader.await(r -> {
            if (key.equals(r.key())) {
                found.add(r);
            }
            return found.size() >= n;
        }, WAIT);
        assertEquals(n, found.size());
        return found;
    }

    /** A read_uncommitted reader from the end: it also sees records of aborted transactions. */
    static final class Uncommitted implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

        Uncommitted(String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafka().bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
        }

        /** The n-th record of the queue id, or null after the wait. */
        ConsumerRecord<String, byte[]> await(String queueId, int n) {
            Instant deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                List<ConsumerRecord<String, byte[]>> mine = seen.stream()
                        .filter(r -> EventCodec.decodeLocal(r.value()).envelope().queueId().equals(queueId)).toList();
                if (mine.size() >= n) {
                    return mine.get(n - 1);
                }
            }
            return null;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
