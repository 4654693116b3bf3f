package org.mailroom.delivery.publish;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.StatusEvent;

/** Reports delivery status events on mail.status, keyed by queue id. */
@ApplicationScoped
public class StatusPublisher {

    private final MutinyEmitter<Record<String, byte[]>> emitter;

    public StatusPublisher(@Channel("status") MutinyEmitter<Record<String, byte[]>> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(StatusEvent event) {
        return emitter.send(Record.of(event.queueId(), EventCodec.encode(event)));
    }
}
