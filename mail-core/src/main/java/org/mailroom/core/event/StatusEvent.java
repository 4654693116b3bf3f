package org.mailroom.core.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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
 * @param original  what a DSN to the sender needs, on a {@code REJECTED} of the final delivery
 *                  (mailbox-service over quota); null otherwise, and then absent from the wire
 */
public record StatusEvent(String queueId, String recipient, Status status, String reason, String service, Instant at,
        @JsonInclude(JsonInclude.Include.NON_NULL) Original original)
        implements Event {

    @JsonCreator
    public StatusEvent {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(at, "at");
    }

    /** An event without {@code original}: every event but a rejection that asks for a bounce. */
    public StatusEvent(String queueId, String recipient, Status status, String reason, String service, Instant at) {
        this(queueId, recipient, status, reason, service, at, null);
    }

    public enum Status { ACCEPTED, ROUTED, STORED, RELAYED, DEFERRED, BOUNCED, REJECTED }

    /**
     * The facts of the original message that a delivery status notification (RFC 3464) to its sender
     * needs, carried by the service that refused it after the queue, where the envelope and the
     * message are at hand (docs/events.md, "status"). Whether a DSN is sent is the reader's decision.
     *
     * @param mailFrom         the reverse-path; empty for {@code <>} (then no DSN: RFC 5321 §4.5.5)
     * @param recipient        the RCPT that led to the refused delivery, with its NOTIFY and ORCPT
     *                         (RFC 3461 §4.1, §4.2)
     * @param ret              RFC 3461 §4.3 RET, or null
     * @param envid            RFC 3461 §4.4 ENVID, or null
     * @param receivedAt       when the message was accepted (the DSN's {@code Arrival-Date})
     * @param smtpUtf8         the message came with SMTPUTF8 (RFC 6531)
     * @param headers          the header section (RFC 5322 §2.1), at most {@link #MAX_HEADER_OCTETS}
     *                         octets of it, cut at a field boundary, as UTF-8 (RFC 6532; an octet
     *                         that is not UTF-8 becomes U+FFFD)
     * @param headersTruncated true when {@code headers} is a prefix of the header section
     */
    public record Original(String mailFrom, Recipient recipient, Envelope.Ret ret, String envid, Instant receivedAt,
            boolean smtpUtf8, String headers, boolean headersTruncated) {

        /** The bound on {@code headers}: 64 KiB keeps a status record far below the broker's 1 MiB default. */
        public static final int MAX_HEADER_OCTETS = 64 * 1024;

        public Original {
            Objects.requireNonNull(mailFrom, "mailFrom (empty for <>)");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(receivedAt, "receivedAt");
            headers = headers == null ? "" : headers;
        }

        /** The facts of one delivery of {@code message} to {@code recipient} of {@code envelope}. */
        public static Original of(Envelope envelope, Recipient recipient, byte[] message) {
            byte[] section = headerSection(message);
            byte[] kept = bounded(section, MAX_HEADER_OCTETS);
            return new Original(envelope.mailFrom(), recipient, envelope.ret(), envelope.envid(), envelope.receivedAt(),
                    envelope.smtpUtf8(), new String(kept, StandardCharsets.UTF_8), kept.length < section.length);
        }

        /** Everything before the first empty line (RFC 5322 §2.1), line ends kept; CRLF or bare LF. */
        static byte[] headerSection(byte[] message) {
            if (message.length > 0 && (message[0] == '\n' || message[0] == '\r' && message.length > 1 && message[1] == '\n')) {
                return new byte[0]; // no header at all
            }
            for (int i = 0; i < message.length; i++) {
                if (message[i] != '\n') {
                    continue;
                }
                if (i + 1 < message.length && message[i + 1] == '\n') {
                    return Arrays.copyOf(message, i + 1);
                }
                if (i + 2 < message.length && message[i + 1] == '\r' && message[i + 2] == '\n') {
                    return Arrays.copyOf(message, i + 1);
                }
            }
            return message;
        }

        /**
         * At most {@code max} octets of a header section, ending where a header field ends: after a
         * line end not followed by folding white space (RFC 5322 §2.2.3), so no field, and no UTF-8
         * sequence, is cut in half. A single field longer than {@code max} leaves nothing.
         */
        static byte[] bounded(byte[] section, int max) {
            if (section.length <= max) {
                return section;
            }
            for (int end = max; end > 0; end--) {
                if (section[end - 1] == '\n' && section[end] != ' ' && section[end] != '\t') {
                    return Arrays.copyOf(section, end);
                }
            }
            return new byte[0];
        }
    }
}
