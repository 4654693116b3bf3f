package org.mailroom.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A step in the life of one message, or of one of its recipients, on
 * {@link org.mailroom.core.Topics#STATUS}: for tracing ("where is my mail?") and metrics.
 *
 * @param queueId   the message
 * @param recipient the recipient concerned, or null when the event is about the whole message
 * @param status    what happened
 * @param reason    human-readable detail: the SMTP reply, the rule that decided, the error
 * @param service   the service that reports it
 * @param at        when it happened
 */
public record StatusEvent(String queueId, String recipient, Status status, String reason, String service, Instant at)
        implements Event {

    public StatusEvent {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(at, "at");
    }

    public enum Status { ACCEPTED, ROUTED, STORED, RELAYED, DEFERRED, BOUNCED, REJECTED }
}
