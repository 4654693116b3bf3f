package org.mailroom.mailbox.store;

import org.mailroom.mailbox.ingest.Delivery;

/**
 * What became of one delivery: stored under a UID, or rejected over quota; {@code duplicate}
 * when an earlier copy of the record had already decided it.
 */
public record StoreOutcome(Delivery delivery, boolean stored, long uid, String reason, boolean duplicate) {

    /** RFC 3463 §3.3 X.2.2: mailbox full. Policy turns it into the bounce. */
    public static final String OVER_QUOTA = "552 5.2.2 mailbox full: quota exceeded";
}
