package org.mailroom.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One RCPT TO forward-path with its RFC 3461 DSN parameters.
 *
 * @param address the forward-path without angle brackets, as the client gave it
 * @param notifyOn RFC 3461 §4.1 NOTIFY: NEVER, or any of SUCCESS, FAILURE, DELAY; null when absent
 * @param orcpt   RFC 3461 §4.2 ORCPT as {@code addr-type;xtext-decoded address}, or null
 */
public record Recipient(String address, @JsonProperty("notify") Set<Notify> notifyOn, String orcpt) {

    public Recipient {
        Objects.requireNonNull(address, "address");
        // EnumSet: iteration in declaration order, so the wire form is deterministic.
        notifyOn = notifyOn == null ? null
                : Collections.unmodifiableSet(notifyOn.isEmpty() ? EnumSet.noneOf(Notify.class) : EnumSet.copyOf(notifyOn));
        if (notifyOn != null && notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER excludes the other values (RFC 3461 §4.1)");
        }
    }

    public static Recipient of(String address) {
        return new Recipient(address, null, null);
    }

    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }
}
