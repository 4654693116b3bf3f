package org.mailroom.ingress.relay;

import org.mailroom.core.address.MailAddress;
import org.mailroom.core.relay.RelayMatrix;
import org.mailroom.core.smtp.Replies;
import org.mailroom.core.smtp.Reply;

/**
 * The decision at RCPT time (ARCHITECTURE.md, "Relay policy"): the matrix of mail-core applied to
 * the read model, so nothing is accepted that would later be bounced.
 */
public final class RecipientPolicy {

    public static final Reply DIRECTORY_UNAVAILABLE = Reply.of(451, "4.3.0", "directory unavailable, try again later");

    /** The reply to RCPT: {@link Replies#RECIPIENT_OK} when accepted. */
    public static Reply decide(DirectoryView directory, boolean senderLocal, MailAddress recipient) {
        if (!directory.usable()) {
            return DIRECTORY_UNAVAILABLE;
        }
        boolean recipientLocal = directory.isHostedDomain(recipient.domain());
        if (recipientLocal && RelayMatrix.isRoutingTrick(recipient)) {
            // "user%remote@local", "\"user@remote\"@local", "remote!user@local": never local, never relayed.
            return Replies.RELAY_DENIED;
        }
        RelayMatrix.Decision decision = RelayMatrix.decide(senderLocal, recipientLocal);
        if (!decision.accepted()) {
            return Replies.RELAY_DENIED;
        }
        if (decision.local() && !directory.recipientExists(recipient)) {
            return Replies.NO_SUCH_USER;
        }
        return Replies.RECIPIENT_OK;
    }

    private RecipientPolicy() {}
}
