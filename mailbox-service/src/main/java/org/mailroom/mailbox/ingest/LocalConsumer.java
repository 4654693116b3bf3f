package org.mailroom.mailbox.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.EventFormatException;
import org.mailroom.core.event.LocalDelivery;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.mailbox.config.MailboxConfig;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.mailbox.publish.DeadLetterPublisher;
import org.mailroom.mailbox.publish.StatusPublisher;
import org.mailroom.mailbox.store.MailStore;
import org.mailroom.mailbox.store.StoreOutcome;

/**
 * Consumes mail.local in batches: one transaction stores a batch, then the status events go out,
 * then the batch is acknowledged, so the offset is committed only after the commit. A failed
 * transaction is retried with back-off, never skipped; a redelivered record is recognised by its
 * (queue id, mailbox) and only reported again.
 */
@ApplicationScoped
public class LocalConsumer {

    private static final Logger LOG = Logger.getLogger(LocalConsumer.class);
    static final String SERVICE = "mailbox-service";

    private final MailStore store;
    private final Directory directory;
    private final StatusPublisher status;
    private final DeadLetterPublisher deadLetters;
    private final MailboxConfig config;
    private final Counter messagesStored;
    private final Counter bytesStored;
    private final Counter duplicates;
    private final Counter rejected;
    private final Counter failures;
    private final Counter malformed;
    private final Timer latency;

    public LocalConsumer(MailStore store, Directory directory, StatusPublisher status, DeadLetterPublisher deadLetters,
            MailboxConfig config, MeterRegistry registry) {
        this.store = store;
        this.directory = directory;
        this.status = status;
        this.deadLetters = deadLetters;
        this.config = config;
        this.messagesStored = registry.counter("mailbox_messages_stored_total");
        this.bytesStored = registry.counter("mailbox_bytes_stored_total");
        this.duplicates = registry.counter("mailbox_duplicates_skipped_total");
        this.rejected = registry.counter("mailbox_quota_rejected_total");
        this.failures = registry.counter("mailbox_store_failures_total");
        this.malformed = registry.counter("mailbox_deadlettered_total");
        this.latency = Timer.builder("mailbox_store_batch_seconds").publishPercentileHistogram()
                .description("time to store one batch of mail.local records").register(registry);
    }

    @Incoming("local")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<Delivery> deliveries = new ArrayList<>();
        Map<String, LocalDelivery> received = new HashMap<>();
        List<Uni<Void>> parked = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : batch) {
            try {
                LocalDelivery local = EventCodec.decodeLocal(record.getPayload());
                Delivery delivery = Delivery.of(local);
                deliveries.add(delivery);
                received.put(delivery.key(), local);
            } catch (EventFormatException e) {
                malformed.increment();
                LOG.errorf("mail.local partition %d key %s: undecodable, sent to %s: %s", record.getPartition(),
                        record.getKey(), Topics.DEADLETTER, e.getMessage());
                // retried like the store: a failed publish must not stop the channel (failure-strategy=fail)
                parked.add(deadLetters.publish(Topics.LOCAL, record.getKey(), record.getPayload(), e.getMessage())
                        .onFailure().invoke(f -> LOG.errorf("dead-lettering mail.local key %s failed; retrying: %s",
                                record.getKey(), f.toString()))
                        .onFailure().retry().withBackOff(config.ingest().initialBackoff(), config.ingest().maxBackoff())
                        .indefinitely());
            }
        }
        long started = System.nanoTime();
        Uni<Void> parkAll = parked.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(parked).andFailFast().replaceWithVoid();
        return directoryCaughtUp()
                .chain(() -> parkAll)
                .chain(() -> store.store(deliveries, directory::quotaOf)
                        .ifNoItem().after(config.ingest().transactionTimeout()).fail()
                        .onFailure().invoke(e -> {
                            failures.increment();
                            LOG.errorf(e, "storing a batch of %d deliveries failed; retrying (queue ids %s)", deliveries.size(),
                                    queueIds(deliveries));
                        })
                        .onFailure().retry().withBackOff(config.ingest().initialBackoff(), config.ingest().maxBackoff())
                        .indefinitely())
                .invoke(outcomes -> {
                    long nanos = System.nanoTime() - started;
                    latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                    LOG.debugf("batch of %d stored in %d ms", outcomes.size(), nanos / 1_000_000);
                })
                .chain(outcomes -> report(outcomes, received)
                        .onFailure().invoke(e -> LOG.errorf(e, "publishing status events failed; retrying"))
                        .onFailure().retry().withBackOff(config.ingest().initialBackoff(), config.ingest().maxBackoff())
                        .indefinitely())
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .invoke(() -> LOG.debugf("batch of %d acknowledged %d ms after it arrived", deliveries.size(),
                        (System.nanoTime() - started) / 1_000_000));
    }

    private static String queueIds(List<Delivery> deliveries) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < deliveries.size() && i < 20; i++) {
            b.append(i == 0 ? "" : " ").append(deliveries.get(i).queueId());
        }
        return deliveries.size() > 20 ? b.append(" ...").toString() : b.toString();
    }

    /**
     * Waits until the directory read model has read mail.directory to its end: before that an
     * account's quota is not known, and storing would skip it (docs/configuration/mailbox-service.md).
     * Readiness reports the directory meanwhile.
     */
    private Uni<Void> directoryCaughtUp() {
        if (directory.caughtUp()) {
            return Uni.createFrom().voidItem();
        }
        LOG.info("mail.local waits for the directory read model to catch up before storing (quotas)");
        return Uni.createFrom().<Void>deferred(() -> directory.caughtUp() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new IllegalStateException("directory not caught up")))
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(1)).indefinitely();
    }

    /**
     * Counts, logs and publishes one status event per delivery. A rejection carries the facts of
     * the original ({@link StatusEvent.Original}: envelope sender, the RCPT with its DSN parameters,
     * the bounded header section) so that policy-service can bounce it to the sender (docs/events.md).
     */
    private Uni<Void> report(List<StoreOutcome> outcomes, Map<String, LocalDelivery> received) {
        List<StatusEvent> events = new ArrayList<>(outcomes.size());
        Instant now = Instant.now();
        for (StoreOutcome o : outcomes) {
            Delivery d = o.delivery();
            MDC.put("queueId", d.queueId());
            try {
                if (o.duplicate()) {
                    duplicates.increment();
                    LOG.debugf("%s for %s: already %s, duplicate skipped", d.queueId(), d.account(),
                            o.stored() ? "stored" : "rejected");
                } else if (o.stored()) {
                    messagesStored.increment();
                    bytesStored.increment(d.size());
                    LOG.infof("%s for %s: stored, uid %d, %d octets", d.queueId(), d.account(), o.uid(), d.size());
                } else {
                    rejected.increment();
                    LOG.infof("%s for %s: rejected: %s", d.queueId(), d.account(), o.reason());
                }
            } finally {
                MDC.remove("queueId");
            }
            if (o.stored()) {
                events.add(new StatusEvent(d.queueId(), d.account(), StatusEvent.Status.STORED,
                        "stored in INBOX, uid " + o.uid(), SERVICE, now));
            } else {
                events.add(new StatusEvent(d.queueId(), d.account(), StatusEvent.Status.REJECTED, o.reason(), SERVICE,
                        now, original(received.get(d.key()))));
            }
        }
        return Multi.createFrom().iterable(events)
                .onItem().transformToUni(e -> status.publish(e).replaceWith(e)).merge(Math.max(1, config.ingest().statusConcurrency()))
                .collect().last().replaceWithVoid();
    }

    /** The RCPT that led to this mailbox is the one recipient of a mail.local envelope (docs/events.md). */
    static StatusEvent.Original original(LocalDelivery local) {
        return local == null ? null
                : StatusEvent.Original.of(local.envelope(), local.envelope().recipients().get(0), local.message());
    }
}
