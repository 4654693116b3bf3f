package org.mailroom.core.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message accepted by smtp-ingress (or a bounce made by delivery-service), on
 * {@link org.mailroom.core.Topics#INBOUND}: the envelope and the raw RFC 5322 octets, trace
 * headers included.
 */
public record InboundMessage(Envelope envelope, byte[] message) implements Event {

    public InboundMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundMessage m && m.envelope.equals(envelope) && Arrays.equals(m.message, message);
    }

    @Override
    public int hashCode() {
        return 31 * envelope.hashCode() + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "InboundMessage[" + envelope + ", " + message.length + " octets]";
    }
}
