package org.mailroom.core.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message for the recipients of one remote domain, on {@link org.mailroom.core.Topics#OUTBOUND},
 * keyed by that domain. The envelope's recipients are exactly those of the domain.
 *
 * @param domain the destination domain, A-label, lower case
 */
public record OutboundDelivery(Envelope envelope, String domain, byte[] message) implements Event {

    public OutboundDelivery {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundDelivery d && d.envelope.equals(envelope) && d.domain.equals(domain)
                && Arrays.equals(d.message, message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelope, domain) * 31 + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "OutboundDelivery[" + domain + ", " + envelope + ", " + message.length + " octets]";
    }
}
