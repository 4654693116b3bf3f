package org.mailroom.ingress.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mailroom.core.event.Envelope;

/**
 * The trace header smtp-ingress prepends (RFC 5321 §4.4), with the protocol keyword of RFC 3848
 * (ESMTP, ESMTPS, ESMTPA, ESMTPSA; SMTP after HELO) or of RFC 6531 §3.7.3 (UTF8SMTP...), the TLS
 * version and cipher in a comment, and the queue id.
 *
 * <pre>
 * Received: from client.example (client.example [192.0.2.1])
 *         by mx.example.test (Mailroom) with ESMTPS id 01JE...;
 *         (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384)
 *         for &lt;alice@example.test&gt;; Thu, 03 Dec 2026 17:00:00 +0000
 * </pre>
 */
public final class ReceivedHeader {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    public static byte[] build(String byHost, String helo, String clientIp, Envelope.Tls tls, String authUser,
            boolean extended, boolean smtpUtf8, String queueId, String singleRecipient, Instant at) {
        String protocol = protocol(extended, smtpUtf8, tls != null, authUser != null);
        StringBuilder h = new StringBuilder("Received: from ")
                .append(clean(helo == null ? "unknown" : helo))
                .append(" (").append(clientIp == null ? "unknown" : "[" + clientIp + "]").append(")\r\n")
                .append("\tby ").append(byHost).append(" (Mailroom) with ").append(protocol)
                .append(" id ").append(queueId);
        if (tls != null) {
            h.append("\r\n\t(version=").append(clean(tls.protocol())).append(" cipher=").append(clean(tls.cipher())).append(')');
        }
        if (singleRecipient != null) {
            // RFC 5321 §4.4: "for" names one recipient only, never the list (privacy).
            h.append("\r\n\tfor <").append(clean(singleRecipient)).append('>');
        }
        h.append("; ").append(DATE.format(at)).append("\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String protocol(boolean extended, boolean smtpUtf8, boolean tls, boolean auth) {
        if (!extended) {
            return "SMTP";
        }
        String base = smtpUtf8 ? "UTF8SMTP" : "ESMTP";
        return base + (tls ? "S" : "") + (auth ? "A" : "");
    }

    /** Client-supplied text may not break the header: no controls, no parentheses games. */
    private static String clean(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && out.length() < 255; i++) {
            char c = s.charAt(i);
            out.append(c < 32 || c == 127 || c == '(' || c == ')' ? '_' : c);
        }
        return out.toString();
    }

    private ReceivedHeader() {}
}
