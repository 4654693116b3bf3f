package org.mailroom.policy.routing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.smtp.Reply;

/**
 * A delivery status notification (RFC 3464) for recipients that policy-service could not route: a
 * {@code multipart/report; report-type=delivery-status} (RFC 6522) with a human-readable part, the
 * per-recipient fields, and the original header section ({@code text/rfc822-headers}; the body is
 * never returned, whatever RET asked). It travels as a new message on {@code mail.inbound}, from
 * the null reverse-path (RFC 5321 §4.5.5, so it is never bounced itself), on the {@code bounce}
 * listener, to the original sender. Pure.
 */
public final class Bounce {

    /** One recipient that failed, and the reply that says why. */
    public record Failed(Recipient recipient, Reply reply) {}

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Bounce() {}

    public static InboundMessage build(InboundMessage original, List<Failed> failed, String host, Instant now, String queueId) {
        return build(original.envelope(), headerSection(original.message()), failed, host, now, queueId);
    }

    /** The DSN from the original's envelope and its header section (what {@link #headerSection} returns). */
    public static InboundMessage build(Envelope env, byte[] headers, List<Failed> failed, String host, Instant now,
            String queueId) {
        String boundary = "=_" + queueId;
        String date = RFC5322_DATE.format(now);
        StringBuilder m = new StringBuilder();
        m.append("From: Mail Delivery System <MAILER-DAEMON@").append(host).append(">\r\n");
        m.append("To: <").append(env.mailFrom()).append(">\r\n");
        m.append("Subject: Undelivered Mail Returned to Sender\r\n");
        m.append("Date: ").append(date).append("\r\n");
        m.append("Message-ID: <").append(queueId).append('@').append(host).append(">\r\n");
        m.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        m.append("\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        m.append("Your message ").append(env.queueId()).append(" could not be delivered to these recipients:\r\n\r\n");
        for (Failed f : failed) {
            m.append("  <").append(f.recipient().address()).append(">: ").append(Router.text(f.reply())).append("\r\n");
        }
        m.append("\r\n--").append(boundary).append("\r\n");
        m.append("Content-Type: message/delivery-status\r\n\r\n");
        // RFC 3464 §2.2: per-message fields.
        m.append("Reporting-MTA: dns; ").append(host).append("\r\n");
        if (env.envid() != null) {
            m.append("Original-Envelope-Id: ").append(env.envid()).append("\r\n");
        }
        m.append("X-Mailroom-Queue-ID: ").append(env.queueId()).append("\r\n");
        m.append("Arrival-Date: ").append(RFC5322_DATE.format(env.receivedAt())).append("\r\n");
        for (Failed f : failed) {
            // RFC 3464 §2.3: per-recipient fields.
            m.append("\r\n");
            if (f.recipient().orcpt() != null) {
                m.append("Original-Recipient: ").append(f.recipient().orcpt()).append("\r\n");
            }
            m.append("Final-Recipient: rfc822; ").append(f.recipient().address()).append("\r\n");
            m.append("Action: failed\r\n");
            m.append("Status: ").append(f.reply().enhanced()).append("\r\n");
            m.append("Diagnostic-Code: smtp; ").append(Router.text(f.reply())).append("\r\n");
        }
        m.append("\r\n--").append(boundary).append("\r\n");
        m.append("Content-Type: text/rfc822-headers\r\n\r\n");
        byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + headers.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(headers, 0, out, head.length, headers.length);
        System.arraycopy(tail, 0, out, head.length + headers.length, tail.length);
        boolean eightBit = false;
        for (byte b : out) {
            eightBit |= b < 0;
        }
        Envelope dsn = new Envelope(queueId, now, host, Router.BOUNCE_LISTENER, null, null, null, null, "",
                List.of(Recipient.of(env.mailFrom())), null, null,
                eightBit ? Envelope.Body.EIGHT_BIT_MIME : Envelope.Body.SEVEN_BIT, eightBit && env.smtpUtf8(), out.length);
        return new InboundMessage(dsn, out);
    }

    /** The header section: everything before the first empty line (RFC 5322 §2.1), line ends kept. */
    static byte[] headerSection(byte[] message) {
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return java.util.Arrays.copyOf(message, i + 2);
            }
        }
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && message[i + 1] == '\n') {
                return java.util.Arrays.copyOf(message, i + 1);
            }
        }
        return message;
    }
}
