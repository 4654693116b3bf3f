package org.mailroom.ingress;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.Recipient;
import org.mailroom.ingress.publish.InboundPublisher;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.TopicReader;
import org.mailroom.testsupport.MailroomTestResources;

/** Against the real broker: what the publisher acknowledged is on mail.inbound, byte for byte. */
@QuarkusTest
@WithTestResource(value = MailroomTestResources.class, initArgs = @ResourceArg(name = "database", value = "false"))
class InboundPublisherIT {

    @Inject
    InboundPublisher publisher;

    @Test
    void acknowledgedMessageIsOnTheTopicByteForByte() {
        byte[] raw = "Subject: hello\r\n\r\nbody \u00e9\r\n".getBytes(StandardCharsets.UTF_8);
        String id = QueueId.next();
        Envelope env = new Envelope(id, Instant.now(), "test", "mx", "192.0.2.1", "client.example", null, null,
                "bob@example.net", List.of(Recipient.of("alice@example.test")), null, null, null, false, raw.length);
        try (TopicReader reader = TopicReader.fromEnd(Infra.kafka(), Topics.INBOUND)) {
            publisher.publish(new InboundMessage(env, raw)).await().atMost(Duration.ofSeconds(20));
            ConsumerRecord<String, byte[]> record = reader.await(r -> id.equals(r.key()), Duration.ofSeconds(20));
            assertNotNull(record);
            InboundMessage back = EventCodec.decodeInbound(record.value());
            assertEquals(env, back.envelope());
            assertArrayEquals(raw, back.message());
        }
    }

    @Test
    void readyWithTheBrokerAndMetricsExported() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("kafka_producer_"));
    }
}
