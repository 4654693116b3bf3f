package org.mailroom.mailbox.publish;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Parks an undecodable record on mail.deadletter, as it was, with its source topic and the reason. */
@ApplicationScoped
public class DeadLetterPublisher {

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetterPublisher(@Channel("deadletter") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(String sourceTopic, String key, byte[] value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("mailroom-source-topic", sourceTopic.getBytes(StandardCharsets.UTF_8));
        headers.add("mailroom-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("service", "mailbox-service".getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(value == null ? new byte[0] : value).addMetadata(metadata));
    }
}
