package org.mailroom.policy.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.policy.Api.admin;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.mailroom.core.Topics;
import org.mailroom.core.auth.PasswordHash;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.EventCodec;
import org.mailroom.policy.Api;
import org.mailroom.policy.MailboxStub;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;
import org.mailroom.testsupport.TopicReader;

/** Every committed admin change reaches mail.directory; a snapshot repairs what the topic missed. */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(MailboxStub.class)
class DirectoryPublishingIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DirectorySync sync;

    @Test
    void changesArePublishedAfterTheCommitAndRemovalsAreTombstones() {
        try (TopicReader reader = TopicReader.fromEnd(Infra.kafka(), Topics.DIRECTORY)) {
            admin().body(Map.of("name", "pub.test")).post("/api/v1/domains").then().statusCode(201);
            admin().body(Map.of("address", "alice@pub.test", "password", "pw", "quotaBytes", 5000))
                    .post("/api/v1/accounts").then().statusCode(201);
            admin().body(Map.of("address", "all@pub.test", "targets", List.of("alice@pub.test", "x@remote.example")))
                    .post("/api/v1/aliases").then().statusCode(201);
            admin().body(Map.of("catchAll", "all@pub.test")).put("/api/v1/domains/pub.test").then().statusCode(200);
            admin().body(Map.of("cidr", "198.51.100.0/24")).post("/api/v1/networks").then().statusCode(201);

            DirectoryEntry.Account account = (DirectoryEntry.Account) value(reader, "account:alice@pub.test");
            assertTrue(PasswordHash.verify(account.passwordHash(), "pw"), "smtp-ingress and mailbox-service verify this hash");
            assertEquals(5000, account.quotaBytes());
            assertTrue(account.enabled());
            assertEquals(new DirectoryEntry.Alias("all@pub.test", List.of("alice@pub.test", "x@remote.example")),
                    value(reader, "alias:all@pub.test"));
            assertEquals(new DirectoryEntry.Network("198.51.100.0/24"), value(reader, "network:198.51.100.0/24"));
            ConsumerRecord<String, byte[]> domain = reader.await(r -> r.key().equals("domain:pub.test") && r.value() != null
                    && "all@pub.test".equals(((DirectoryEntry.Domain) EventCodec.decodeDirectory(r.value())).catchAll()), WAIT);
            assertNotNull(domain, "the catch-all change");

            admin().delete("/api/v1/aliases/all@pub.test").then().statusCode(204);
            assertNotNull(reader.await(r -> r.key().equals("alias:all@pub.test") && r.value() == null, WAIT), "tombstone");
            admin().delete("/api/v1/networks/198.51.100.0/24").then().statusCode(204);
            assertNotNull(reader.await(r -> r.key().equals("network:198.51.100.0/24") && r.value() == null, WAIT));
            admin().delete("/api/v1/domains/pub.test").then().statusCode(204);
            assertNotNull(reader.await(r -> r.key().equals("account:alice@pub.test") && r.value() == null, WAIT));
            assertNotNull(reader.await(r -> r.key().equals("domain:pub.test") && r.value() == null, WAIT));
        }
    }

    @Test
    void aSnapshotRepublishesEverythingAndTombstonesKeysTheDatabaseLacks() throws Exception {
        Api.awaitReady();
        admin().body(Map.of("name", "snap.test")).post("/api/v1/domains").then().statusCode(201);
        // A deletion whose tombstone was lost: the topic still has an account the database never had.
        DirectoryEntry.Account ghost = new DirectoryEntry.Account("ghost@snap.test", "$2y$x", true, 0);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DIRECTORY, ghost.key(), EventCodec.encode(ghost))).get();
        }
        try (TopicReader reader = TopicReader.fromEnd(Infra.kafka(), Topics.DIRECTORY)) {
            sync.requestSnapshot();
            assertNotNull(reader.await(r -> r.key().equals(ghost.key()) && r.value() == null, WAIT), "ghost removed");
            assertEquals(new DirectoryEntry.Domain("snap.test", null), value(reader, "domain:snap.test"));
        }
        // A consumer starting now rebuilds the directory from the compacted topic alone.
        try (TopicReader all = TopicReader.fromBeginning(Infra.kafka(), Topics.DIRECTORY)) {
            Map<String, DirectoryEntry> model = new java.util.HashMap<>();
            for (ConsumerRecord<String, byte[]> r : all.drain(Duration.ofSeconds(3))) {
                if (r.value() == null) {
                    model.remove(r.key());
                } else {
                    model.put(r.key(), EventCodec.decodeDirectory(r.value()));
                }
            }
            assertTrue(model.containsKey("domain:snap.test"));
            assertTrue(!model.containsKey(ghost.key()));
        }
    }

    private static DirectoryEntry value(TopicReader reader, String key) {
        ConsumerRecord<String, byte[]> r = reader.await(x -> x.key().equals(key) && x.value() != null, WAIT);
        assertNotNull(r, key);
        return EventCodec.decodeDirectory(r.value());
    }
}
