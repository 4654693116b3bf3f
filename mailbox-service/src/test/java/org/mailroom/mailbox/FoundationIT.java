package org.mailroom.mailbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.mailbox.publish.StatusPublisher;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;
import org.mailroom.testsupport.TopicReader;

/** mailbox-service against the real broker and database: migrated, ready, publishing status events. */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class FoundationIT {

    @Inject
    StatusPublisher status;

    @Test
    void migrationsCreateTheSchema() throws Exception {
        Set<String> tables = new HashSet<>();
        try (Connection c = Infra.postgres().connect();
                ResultSet rs = c.getMetaData().getTables(null, "mailbox", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertTrue(tables.containsAll(Set.of("mailboxes", "messages")), tables.toString());
    }

    @Test
    void statusEventsReachTheTopic() {
        StatusEvent event = new StatusEvent(QueueId.next(), "alice@example.test", StatusEvent.Status.DEFERRED,
                "foundation test", "mailbox-service", Instant.now());
        try (TopicReader reader = TopicReader.fromEnd(Infra.kafka(), Topics.STATUS)) {
            status.publish(event).await().atMost(Duration.ofSeconds(20));
            ConsumerRecord<String, byte[]> record = reader.await(r -> r.key().equals(event.queueId()), Duration.ofSeconds(20));
            assertNotNull(record);
            assertEquals(event, EventCodec.decodeStatus(record.value()));
        }
    }

    @Test
    void readyWithBrokerAndDatabaseAndMetricsExported() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("kafka_producer_"))
                .body(containsString("http_server_"));
    }
}
