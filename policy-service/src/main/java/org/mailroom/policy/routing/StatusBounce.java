package org.mailroom.policy.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailroom.core.QueueId;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.core.smtp.Reply;

/**
 * Bounces a delivery refused after routing (mailbox-service over quota: {@code 552 5.2.2}) and
 * reported on {@code mail.status} with the facts of the original ({@link StatusEvent.Original}).
 * Pure: who gets a DSN, the DSN itself (built by {@link Bounce}), and its queue id.
 *
 * <p>A DSN goes to the envelope sender unless:
 * <ul>
 *   <li>the reverse-path is null: a bounce is never bounced (RFC 5321 §4.5.5, §6.1);</li>
 *   <li>the RCPT said {@code NOTIFY=NEVER}, or named other conditions without FAILURE (RFC 3461
 *       §4.1; without NOTIFY, FAILURE is the default).</li>
 * </ul>
 * Only mail accepted for a local recipient reaches a mailbox, so the sender is not a forged
 * stranger's victim more than with any MTA that bounces after an LMTP 552 (Postfix with Dovecot):
 * the over-quota failure cannot be known at RCPT time, and a silent drop is the worse choice.
 */
public final class StatusBounce {

    /** What becomes of one status event; the name in lower case is the metric's label. */
    public enum Verdict {
        /** Not a rejection that carries its original: someone else's business (every other event). */
        NOT_RETURNABLE,
        /** A DSN goes to the sender. */
        SEND,
        /** The reverse-path is {@code <>}: RFC 5321 §4.5.5. */
        NULL_SENDER,
        /** {@code NOTIFY=NEVER}: RFC 3461 §4.1. */
        NOTIFY_NEVER,
        /** NOTIFY without FAILURE (only SUCCESS and/or DELAY): RFC 3461 §4.1. */
        NOTIFY_WITHOUT_FAILURE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The reply that is read off a rejection's reason: {@code 552 5.2.2 text}. */
    private static final Pattern REPLY = Pattern.compile("^([45][0-9][0-9])[ -]([45]\\.[0-9]{1,3}\\.[0-9]{1,3})(?: (.*))?$");

    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private StatusBounce() {}

    public static Verdict decide(StatusEvent event) {
        StatusEvent.Original original = event.original();
        if (event.status() != StatusEvent.Status.REJECTED || original == null) {
            return Verdict.NOT_RETURNABLE;
        }
        if (original.mailFrom().isEmpty()) {
            return Verdict.NULL_SENDER;
        }
        Recipient rcpt = original.recipient();
        if (rcpt.notifyOn() != null && rcpt.notifyOn().contains(Recipient.Notify.NEVER)) {
            return Verdict.NOTIFY_NEVER;
        }
        return Router.notifiesFailure(rcpt) ? Verdict.SEND : Verdict.NOTIFY_WITHOUT_FAILURE;
    }

    /** The mailbox that refused it: the event's recipient, else the RCPT. */
    public static String recipient(StatusEvent event) {
        return event.recipient() != null ? event.recipient() : event.original().recipient().address();
    }

    /**
     * The DSN for an event whose verdict is {@link Verdict#SEND}: {@code Final-Recipient} is the
     * mailbox that refused it; {@code Original-Recipient} the RCPT's ORCPT, or the RCPT itself when
     * an alias led to another mailbox (as routing does for forwarded recipients, RFC 3461 §4.2).
     */
    public static InboundMessage build(StatusEvent event, String host, Instant now) {
        StatusEvent.Original o = event.original();
        String mailbox = recipient(event);
        Recipient rcpt = o.recipient();
        String orcpt = rcpt.orcpt() != null ? rcpt.orcpt()
                : rcpt.address().equalsIgnoreCase(mailbox) ? null : "rfc822;" + rcpt.address();
        byte[] headers = o.headers().getBytes(StandardCharsets.UTF_8);
        Envelope env = new Envelope(event.queueId(), o.receivedAt(), null, null, null, null, null, null, o.mailFrom(),
                List.of(rcpt), o.ret(), o.envid(), null, o.smtpUtf8(), headers.length);
        return Bounce.build(env, headers, List.of(new Bounce.Failed(new Recipient(mailbox, rcpt.notifyOn(), orcpt),
                reply(event.reason()))), host, now, dsnQueueId(event.queueId(), mailbox));
    }

    /** The {@code BOUNCED} event that reports the DSN on mail.status. */
    public static StatusEvent bounced(StatusEvent event, InboundMessage dsn, Instant now) {
        return new StatusEvent(event.queueId(), recipient(event), StatusEvent.Status.BOUNCED,
                "DSN " + dsn.envelope().queueId() + " to <" + event.original().mailFrom() + ">: " + event.reason(),
                Router.SERVICE, now);
    }

    /**
     * The reply in a rejection's reason ({@code 552 5.2.2 mailbox full: quota exceeded}); a reason
     * that holds no permanent reply with an enhanced code is reported as {@code 554 5.0.0} with its text.
     */
    static Reply reply(String reason) {
        String text = reason == null ? "" : reason.replaceAll("[\\r\\n]+", " ").strip();
        Matcher m = REPLY.matcher(text);
        if (m.matches() && m.group(1).charAt(0) == '5' && m.group(2).charAt(0) == '5') {
            String rest = m.group(3) == null || m.group(3).isBlank() ? "delivery refused" : m.group(3);
            return Reply.of(Integer.parseInt(m.group(1)), m.group(2), rest);
        }
        return Reply.of(554, "5.0.0", text.isEmpty() ? "delivery refused" : text);
    }

    /**
     * The DSN's queue id, the same for the same (queue id, recipient) however often the rejection is
     * reported, so a second copy that escapes the de-duplication is recognised downstream as a
     * redelivery (mailbox-service keys on (queue id, mailbox), delivery-service on (queue id,
     * domain)). The time part is the original's (it sorts beside it); the 80 other bits are the
     * first of SHA-256({@code "dsn" NUL queueId NUL recipient}).
     */
    public static String dsnQueueId(String queueId, String recipient) {
        byte[] h = sha256("dsn\0" + queueId + "\0" + recipient.toLowerCase(Locale.ROOT));
        StringBuilder id = new StringBuilder(26).append(QueueId.isValid(queueId) ? queueId.substring(0, 10) : "0000000000");
        for (int i = 0; i < 16; i++) {
            int v = 0;
            for (int b = i * 5; b < i * 5 + 5; b++) {
                v = (v << 1) | ((h[b >>> 3] >>> (7 - (b & 7))) & 1);
            }
            id.append(BASE32[v]);
        }
        return id.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
