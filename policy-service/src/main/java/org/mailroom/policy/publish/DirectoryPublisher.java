package org.mailroom.policy.publish;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.EventCodec;

/**
 * Writes directory entries to the compacted {@code mail.directory} topic under their entity key;
 * a removal is a tombstone (the key with a null value). Completes when the broker acknowledged.
 */
@ApplicationScoped
public class DirectoryPublisher {

    private final MutinyEmitter<Record<String, byte[]>> emitter;

    public DirectoryPublisher(@Channel("directory") MutinyEmitter<Record<String, byte[]>> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(DirectoryEntry entry) {
        return send(entry.key(), EventCodec.encode(entry));
    }

    public Uni<Void> remove(String key) {
        return send(key, null);
    }

    private Uni<Void> send(String key, byte[] value) {
        // A Record payload carries the key; a null value is written as a tombstone.
        return emitter.send(Record.of(key, value));
    }
}
