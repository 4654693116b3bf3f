package org.mailroom.ingress.publish;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.ingress.config.IngressConfig;

/**
 * Hands an accepted message to {@link Topics#INBOUND}, keyed by its queue id. The returned Uni
 * completes only when the broker acknowledged the record (acks=all, idempotent producer), and
 * fails on a broker error or after {@code ingress.publish-timeout}: only then may the client get
 * 250, otherwise 451 4.3.0.
 */
@ApplicationScoped
public class InboundPublisher {

    private final MutinyEmitter<byte[]> emitter;
    private final IngressConfig config;

    public InboundPublisher(@Channel("inbound") MutinyEmitter<byte[]> emitter, IngressConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    public Uni<Void> publish(InboundMessage message) {
        byte[] value = EventCodec.encode(message);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(message.envelope().queueId())
                .build();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata))
                .ifNoItem().after(config.publishTimeout()).failWith(() -> new PublishTimeoutException(message.envelope().queueId()));
    }

    /** The broker did not acknowledge in time; the message was not accepted. */
    public static final class PublishTimeoutException extends RuntimeException {
        public PublishTimeoutException(String queueId) {
            super("mail.inbound did not acknowledge " + queueId + " in time");
        }
    }
}
