package org.mailroom.policy.routing;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.EventFormatException;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.core.event.UnsupportedVersionException;

/**
 * From a batch of {@code mail.status} records to the DSNs they call for ({@link StatusBounce}) and
 * the {@code BOUNCED} events that report them. A rejection reported twice (mailbox-service
 * publishes again when its mail.local record is redelivered) makes one DSN: the (queue id,
 * recipient) pairs bounced are remembered, within the batch and, once committed, across batches
 * (the last {@code remembered} of them, in memory). Used only by the loop's thread.
 */
final class StatusRecords implements TransactionalLoop.Handler {

    private static final Logger LOG = Logger.getLogger(StatusRecords.class);

    private final String host;
    private final MeterRegistry registry;
    private final Set<String> bounced;

    StatusRecords(String host, int remembered, MeterRegistry registry) {
        this.host = host;
        this.registry = registry;
        this.bounced = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remembered;
            }
        });
    }

    @Override
    public TransactionalLoop.Output handle(List<ConsumerRecord<String, byte[]>> batch, Instant now) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        Set<String> sent = new LinkedHashSet<>();
        Map<String, Integer> verdicts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> in : batch) {
            StatusEvent event;
            try {
                event = EventCodec.decodeStatus(in.value());
            } catch (UnsupportedVersionException e) {
                out.add(RoutingRecords.deadLetterRecord(in, "unsupported_version", e.getMessage()));
                verdicts.merge("deadletter:unsupported_version", 1, Integer::sum);
                continue;
            } catch (EventFormatException e) {
                out.add(RoutingRecords.deadLetterRecord(in, "undecodable", e.getMessage()));
                verdicts.merge("deadletter:undecodable", 1, Integer::sum);
                continue;
            }
            StatusBounce.Verdict verdict = StatusBounce.decide(event);
            if (verdict == StatusBounce.Verdict.NOT_RETURNABLE) {
                continue;
            }
            String recipient = StatusBounce.recipient(event);
            String key = event.queueId() + "\u0000" + recipient.toLowerCase(Locale.ROOT);
            if (verdict != StatusBounce.Verdict.SEND) {
                LOG.infof("queue id %s: %s refused by %s (%s); no DSN: %s", event.queueId(), recipient, event.service(),
                        event.reason(), verdict.label());
            } else if (bounced.contains(key) || sent.contains(key)) {
                LOG.debugf("queue id %s: %s: rejection reported again, DSN already sent", event.queueId(), recipient);
                verdict = null;
            } else {
                InboundMessage dsn = StatusBounce.build(event, host, now);
                out.add(new ProducerRecord<>(Topics.INBOUND, dsn.envelope().queueId(), EventCodec.encode(dsn)));
                StatusEvent report = StatusBounce.bounced(event, dsn, now);
                out.add(new ProducerRecord<>(Topics.STATUS, report.queueId(), EventCodec.encode(report)));
                sent.add(key);
                LOG.infof("queue id %s: %s refused by %s (%s); DSN %s to <%s>", event.queueId(), recipient,
                        event.service(), event.reason(), dsn.envelope().queueId(), event.original().mailFrom());
            }
            verdicts.merge(verdict == null ? "duplicate" : verdict.label(), 1, Integer::sum);
        }
        return new TransactionalLoop.Output(out, () -> {
            bounced.addAll(sent);
            verdicts.forEach((label, n) -> {
                if (label.startsWith("deadletter:")) {
                    registry.counter("policy.deadletters", "reason", label.substring("deadletter:".length())).increment(n);
                } else {
                    registry.counter("policy.status.bounces", "result", label).increment(n);
                }
            });
            if (!sent.isEmpty()) {
                registry.counter("policy.bounces").increment(sent.size());
            }
        });
    }
}
