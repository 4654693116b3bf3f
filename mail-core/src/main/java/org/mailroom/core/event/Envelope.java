package org.mailroom.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of one accepted message and the facts of its reception (ARCHITECTURE.md,
 * "The envelope"; every field documented in docs/events.md).
 *
 * @param queueId    time-ordered unique id ({@link org.mailroom.core.QueueId}), the key of every hop
 * @param receivedAt when the final reply was about to be sent
 * @param receivedBy host name of the receiving instance
 * @param listener   {@code mx}, {@code submission} or {@code submissions}; {@code bounce} for DSNs
 * @param clientIp   the client's address (after PROXY protocol), as text
 * @param clientHelo the HELO/EHLO argument
 * @param tls        the TLS session, or null when the message came in clear
 * @param authUser   the SMTP AUTH identity (RFC 4954), or null
 * @param mailFrom   reverse-path without angle brackets; empty for the null reverse-path {@code <>}
 * @param recipients RCPT TO forward-paths with their DSN parameters, in the order given
 * @param ret        RFC 3461 RET (FULL or HDRS), or null
 * @param envid      RFC 3461 ENVID (xtext-decoded), or null
 * @param body       RFC 6152/3030 BODY type
 * @param smtpUtf8   RFC 6531 SMTPUTF8 was given on MAIL
 * @param size       size in octets of the message as carried (with the trace headers prepended)
 */
public record Envelope(
        String queueId,
        Instant receivedAt,
        String receivedBy,
        String listener,
        String clientIp,
        String clientHelo,
        Tls tls,
        String authUser,
        String mailFrom,
        List<Recipient> recipients,
        Ret ret,
        String envid,
        Body body,
        boolean smtpUtf8,
        long size) {

    public Envelope {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(mailFrom, "mailFrom (empty for <>)");
        recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope has at least one recipient");
        }
        body = body == null ? Body.SEVEN_BIT : body;
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
    }

    /** True for the null reverse-path {@code <>} (bounces): RFC 5321 §4.5.5. */
    public boolean nullSender() {
        return mailFrom.isEmpty();
    }

    /** The same envelope for other recipients (one mailbox, one remote domain). */
    public Envelope withRecipients(List<Recipient> only) {
        return new Envelope(queueId, receivedAt, receivedBy, listener, clientIp, clientHelo, tls, authUser,
                mailFrom, only, ret, envid, body, smtpUtf8, size);
    }

    /** The same envelope with another size (after a header was prepended). */
    public Envelope withSize(long newSize) {
        return new Envelope(queueId, receivedAt, receivedBy, listener, clientIp, clientHelo, tls, authUser,
                mailFrom, recipients, ret, envid, body, smtpUtf8, newSize);
    }

    /** The TLS session of the reception: protocol ({@code TLSv1.3}) and cipher suite. */
    public record Tls(String protocol, String cipher) {}

    /** RFC 3461 §4.3 RET. */
    public enum Ret { FULL, HDRS }

    /** BODY parameter: RFC 6152 8BITMIME, RFC 3030 BINARYMIME; 7BIT when absent. */
    public enum Body {
        SEVEN_BIT("7BIT"), EIGHT_BIT_MIME("8BITMIME"), BINARY_MIME("BINARYMIME");

        private final String keyword;

        Body(String keyword) {
            this.keyword = keyword;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String keyword() {
            return keyword;
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Body ofKeyword(String keyword) {
            for (Body b : values()) {
                if (b.keyword.equalsIgnoreCase(keyword)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown BODY " + keyword);
        }
    }
}
