package org.mailroom.policy.routing;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.EventFormatException;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.UnsupportedVersionException;
import org.mailroom.policy.directory.DirectoryView;

/**
 * From one {@code mail.inbound} record to the records it produces, with the codec of mail-core on
 * both sides; a record that cannot be decoded or routed becomes one {@code mail.deadletter} record
 * (the value as it was, the reason in headers) and never blocks its partition. Counts what it did
 * once the transaction is committed.
 */
final class RoutingRecords {

    private static final Logger LOG = Logger.getLogger(RoutingRecords.class);

    /** Headers of a dead letter. */
    static final String H_SOURCE_TOPIC = "mailroom-source-topic";
    static final String H_SOURCE_PARTITION = "mailroom-source-partition";
    static final String H_SOURCE_OFFSET = "mailroom-source-offset";
    static final String H_REASON = "mailroom-reason";
    static final String H_SERVICE = "mailroom-service";

    /** The outputs of one input record, and what to count once they are committed. */
    record Routed(List<ProducerRecord<String, byte[]>> outputs, Router.Plan plan, String deadLetterReason) {}

    private final Router.Settings settings;
    private final MeterRegistry registry;

    RoutingRecords(Router.Settings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
    }

    Routed route(ConsumerRecord<String, byte[]> in, DirectoryView view, Instant now, Supplier<String> queueIds) {
        InboundMessage message;
        try {
            message = EventCodec.decodeInbound(in.value());
        } catch (UnsupportedVersionException e) {
            return deadLetter(in, "unsupported_version", e.getMessage());
        } catch (EventFormatException e) {
            return deadLetter(in, "undecodable", e.getMessage());
        }
        try {
            Router.Plan plan = Router.route(message, view, settings, now, queueIds);
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
            plan.local().forEach(d -> out.add(new ProducerRecord<>(Topics.LOCAL, d.mailbox(), EventCodec.encode(d))));
            plan.outbound().forEach(d -> out.add(new ProducerRecord<>(Topics.OUTBOUND, d.domain(), EventCodec.encode(d))));
            plan.bounce().ifPresent(b -> out.add(new ProducerRecord<>(Topics.INBOUND, b.envelope().queueId(), EventCodec.encode(b))));
            plan.statuses().forEach(s -> out.add(new ProducerRecord<>(Topics.STATUS, s.queueId(), EventCodec.encode(s))));
            for (Router.Outcome o : plan.outcomes()) {
                LOG.infof("queue id %s: %s -> %s", message.envelope().queueId(), o.recipient(), o.decision());
            }
            return new Routed(out, plan, null);
        } catch (RuntimeException e) {
            LOG.errorf(e, "queue id %s: routing failed", message.envelope().queueId());
            return deadLetter(in, "routing_error", e.toString());
        }
    }

    void count(Routed r) {
        if (r.deadLetterReason() != null) {
            registry.counter("policy.deadletters", "reason", r.deadLetterReason()).increment();
            registry.counter("policy.messages.routed", "result", "deadletter").increment();
            return;
        }
        registry.counter("policy.messages.routed", "result", "routed").increment();
        r.plan().outcomes().forEach(o -> registry.counter("policy.recipients.routed", "decision", o.decision()).increment());
        registry.counter("policy.alias.expansions").increment(r.plan().aliasExpansions());
        if (r.plan().bounce().isPresent()) {
            registry.counter("policy.bounces").increment();
        }
    }

    private Routed deadLetter(ConsumerRecord<String, byte[]> in, String kind, String reason) {
        return new Routed(List.of(deadLetterRecord(in, kind, reason)), null, kind);
    }

    /** The record as it was, to mail.deadletter, with where it came from and why in headers. */
    static ProducerRecord<String, byte[]> deadLetterRecord(ConsumerRecord<String, byte[]> in, String kind, String reason) {
        LOG.warnf("%s-%d@%d to %s: %s (%s)", in.topic(), in.partition(), in.offset(), Topics.DEADLETTER, reason, kind);
        RecordHeaders headers = new RecordHeaders();
        in.headers().forEach(headers::add);
        headers.add(H_SOURCE_TOPIC, utf8(in.topic()));
        headers.add(H_SOURCE_PARTITION, utf8(String.valueOf(in.partition())));
        headers.add(H_SOURCE_OFFSET, utf8(String.valueOf(in.offset())));
        headers.add(H_REASON, utf8(kind + ": " + reason));
        headers.add(H_SERVICE, utf8(Router.SERVICE));
        return new ProducerRecord<>(Topics.DEADLETTER, null, in.key(), in.value(), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
