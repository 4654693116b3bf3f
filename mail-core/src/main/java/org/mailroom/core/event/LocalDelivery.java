package org.mailroom.core.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message for one local mailbox, on {@link org.mailroom.core.Topics#LOCAL}, keyed by the
 * mailbox so one mailbox's mail stays in order. The envelope's recipients are the one RCPT that
 * led here (before alias expansion); (queue id, mailbox) identifies the delivery.
 *
 * @param mailbox canonical address of the account that stores it
 */
public record LocalDelivery(Envelope envelope, String mailbox, byte[] message) implements Event {

    public LocalDelivery {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalDelivery d && d.envelope.equals(envelope) && d.mailbox.equals(mailbox)
                && Arrays.equals(d.message, message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelope, mailbox) * 31 + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "LocalDelivery[" + mailbox + ", " + envelope + ", " + message.length + " octets]";
    }
}
