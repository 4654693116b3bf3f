package org.mailroom.policy.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.EventCodec;

/**
 * Writes directory entries to the compacted {@code mail.directory} topic under their entity key;
 * a removal is a tombstone (the key with a null value). Completes when the broker acknowledged.
 */
@ApplicationScoped
public class DirectoryPublisher {

    /** Records in flight at once during a snapshot (the emitter's buffer holds 128 by default). */
    private static final int CONCURRENCY = 64;

    private final MutinyEmitter<Record<String, byte[]>> emitter;
    private final Timer lag;
    private final Counter failures;

    public DirectoryPublisher(@Channel("directory") MutinyEmitter<Record<String, byte[]>> emitter, MeterRegistry registry) {
        this.emitter = emitter;
        this.lag = Timer.builder("policy.directory.publish.lag")
                .description("From the database commit of a directory change to the broker's acknowledgement of its records")
                .register(registry);
        this.failures = Counter.builder("policy.directory.publish.failures")
                .description("Directory publications that failed (retried by a full snapshot)")
                .register(registry);
    }

    public Uni<Void> publish(DirectoryEntry entry) {
        return send(entry.key(), EventCodec.encode(entry));
    }

    public Uni<Void> remove(String key) {
        return send(key, null);
    }

    /** Publishes entries and tombstones, measuring the lag from {@code committedAtNanos} (System.nanoTime). */
    public Uni<Void> publishAll(Collection<? extends DirectoryEntry> entries, Collection<String> removals, long committedAtNanos) {
        List<Record<String, byte[]>> records = new ArrayList<>();
        entries.forEach(e -> records.add(Record.of(e.key(), EventCodec.encode(e))));
        removals.forEach(k -> records.add(Record.of(k, null)));
        return Multi.createFrom().iterable(records)
                .onItem().transformToUni(emitter::send).merge(CONCURRENCY)
                .collect().last()
                .replaceWithVoid()
                .invoke(() -> lag.record(System.nanoTime() - committedAtNanos, java.util.concurrent.TimeUnit.NANOSECONDS))
                .onFailure().invoke(e -> failures.increment());
    }

    private Uni<Void> send(String key, byte[] value) {
        // A Record payload carries the key; a null value is written as a tombstone.
        return emitter.send(Record.of(key, value));
    }
}
