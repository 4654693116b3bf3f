package org.mailroom.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mailroom.core.Topics;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.EventCodec;
import org.mailroom.policy.publish.DirectoryPublisher;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;
import org.mailroom.testsupport.TopicReader;

/** policy-service against the real broker and database: migrated, ready, publishing. */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(MailboxStub.class)
class FoundationIT {

    @Inject
    DirectoryPublisher directory;

    @Test
    void migrationsCreateTheDirectorySchema() throws Exception {
        Set<String> tables = new HashSet<>();
        try (Connection c = Infra.postgres().connect();
                ResultSet rs = c.getMetaData().getTables(null, "policy", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertEquals(true, tables.containsAll(Set.of("domains", "accounts", "aliases", "networks")), tables.toString());
    }

    @Test
    void directoryEntriesAndTombstonesReachTheCompactedTopic() {
        DirectoryEntry.Domain domain = new DirectoryEntry.Domain("foundation.test", null);
        try (TopicReader reader = TopicReader.fromEnd(Infra.kafka(), Topics.DIRECTORY)) {
            directory.publish(domain).await().atMost(Duration.ofSeconds(20));
            directory.remove(domain.key()).await().atMost(Duration.ofSeconds(20));
            ConsumerRecord<String, byte[]> entry = reader.await(r -> r.key().equals(domain.key()) && r.value() != null, Duration.ofSeconds(20));
            assertNotNull(entry);
            assertEquals(domain, EventCodec.decodeDirectory(entry.value()));
            ConsumerRecord<String, byte[]> tombstone = reader.await(r -> r.key().equals(domain.key()) && r.value() == null, Duration.ofSeconds(20));
            assertNotNull(tombstone);
            assertNull(EventCodec.decodeDirectory(tombstone.value()));
        }
    }

    @Test
    void readyWithBrokerAndDatabaseAndMetricsExported() throws InterruptedException {
        Api.awaitReady();
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("kafka_producer_"))
                .body(containsString("http_server_"));
    }
}
