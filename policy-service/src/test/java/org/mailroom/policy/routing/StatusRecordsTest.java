package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.event.StatusEvent;

/** One DSN per refused (queue id, recipient), however often it is reported; none until committed. */
class StatusRecordsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final StatusRecords records = new StatusRecords("mx.example.test", 1000, registry);
    long offset;

    List<ConsumerRecord<String, byte[]>> batch(byte[]... values) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
        for (byte[] v : values) {
            list.add(new ConsumerRecord<>(Topics.STATUS, 0, offset++, StatusBounceTest.QUEUE_ID, v));
        }
        return list;
    }

    static byte[] encode(StatusEvent e) {
        return EventCodec.encode(e);
    }

    static List<String> topics(TransactionalLoop.Output out) {
        return out.records().stream().map(ProducerRecord::topic).toList();
    }

    @Test
    void aRejectionReportedTwiceMakesOneDsnAndItsBouncedReport() {
        byte[] rejected = encode(StatusBounceTest.rejected(null));
        TransactionalLoop.Output first = records.handle(batch(rejected, rejected), StatusBounceTest.NOW);
        assertEquals(List.of(Topics.INBOUND, Topics.STATUS), topics(first), "twice in one batch: once");
        first.committed().run();
        assertEquals(List.of(), topics(records.handle(batch(rejected), StatusBounceTest.NOW)), "in a later batch: remembered");
        assertEquals(1.0, registry.counter("policy.status.bounces", "result", "send").count());
        assertEquals(1.0, registry.counter("policy.bounces").count());
    }

    @Test
    void anAbortedBatchIsForgottenSoItsRetryStillBounces() {
        byte[] rejected = encode(StatusBounceTest.rejected(null));
        records.handle(batch(rejected), StatusBounceTest.NOW); // never committed: the transaction aborted
        assertEquals(List.of(Topics.INBOUND, Topics.STATUS), topics(records.handle(batch(rejected), StatusBounceTest.NOW)));
    }

    @Test
    void noDsnForNeverNorForOtherEventsAndUndecodableOnesAreDeadLettered() {
        TransactionalLoop.Output out = records.handle(batch(
                encode(StatusBounceTest.rejected(EnumSet.of(Recipient.Notify.NEVER))),
                encode(StatusBounceTest.rejected("", null, "")),
                encode(new StatusEvent("q", "x@example.test", StatusEvent.Status.STORED, "uid 1", "mailbox-service",
                        StatusBounceTest.NOW)),
                "{\"type\":\"status\",\"v\":9}".getBytes(StandardCharsets.UTF_8)), StatusBounceTest.NOW);
        assertEquals(List.of(Topics.DEADLETTER), topics(out));
        out.committed().run();
        assertEquals(1.0, registry.counter("policy.status.bounces", "result", "notify_never").count());
        assertEquals(1.0, registry.counter("policy.status.bounces", "result", "null_sender").count());
        assertEquals(1.0, registry.counter("policy.deadletters", "reason", "unsupported_version").count());
    }
}
