package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.smtp.Replies;

class BounceTest {

    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    static InboundMessage original(String text, boolean smtpUtf8) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Envelope env = new Envelope("01JE4Y7ZQ2S8M9V3K5T0B6C1DX", NOW, "in1", "submission", "203.0.113.5", "h", null,
                "alice", "alice@example.test", List.of(Recipient.of("x@example.test")), null, "ENV-1", null, smtpUtf8,
                bytes.length);
        return new InboundMessage(env, bytes);
    }

    @Test
    void headerSectionEndsAtTheFirstEmptyLineWithCrlfOrBareLf() {
        assertEquals("A: 1\r\nB: 2\r\n", new String(Bounce.headerSection("A: 1\r\nB: 2\r\n\r\nbody\r\n\r\n".getBytes()), StandardCharsets.US_ASCII));
        assertEquals("A: 1\n", new String(Bounce.headerSection("A: 1\n\nbody".getBytes()), StandardCharsets.US_ASCII));
        assertEquals("A: 1\r\n", new String(Bounce.headerSection("A: 1\r\n".getBytes()), StandardCharsets.US_ASCII));
    }

    @Test
    void aDsnFollowsRfc3464AndCarriesTheEnvelopeIdAndOriginalRecipient() {
        Recipient rcpt = new Recipient("x@example.test", EnumSet.of(Recipient.Notify.FAILURE), "rfc822;X@example.test");
        InboundMessage dsn = Bounce.build(original("Subject: hi\r\n\r\nbody\r\n", false),
                List.of(new Bounce.Failed(rcpt, Replies.NO_SUCH_USER)), "mx.example.test", NOW, "01JE4Y7ZQ2S8M9V3K5T0B6C1DY");
        String text = new String(dsn.message(), StandardCharsets.UTF_8);
        assertTrue(text.contains("Content-Type: multipart/report; report-type=delivery-status;"), text);
        assertTrue(text.contains("Reporting-MTA: dns; mx.example.test\r\n"), text);
        assertTrue(text.contains("Original-Envelope-Id: ENV-1\r\n"), text);
        assertTrue(text.contains("Original-Recipient: rfc822;X@example.test\r\nFinal-Recipient: rfc822; x@example.test\r\n"), text);
        assertTrue(text.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user here\r\n"), text);
        assertTrue(text.contains("Auto-Submitted: auto-replied\r\n"), text);
        assertTrue(text.endsWith("--=_01JE4Y7ZQ2S8M9V3K5T0B6C1DY--\r\n"), text);
        assertEquals(Envelope.Body.SEVEN_BIT, dsn.envelope().body());
        EventCodec.decodeInbound(EventCodec.encode(dsn));
    }

    @Test
    void eightBitHeadersMakeAn8bitmimeDsn() {
        InboundMessage dsn = Bounce.build(original("Subject: Grüße\r\n\r\nbody\r\n", true),
                List.of(new Bounce.Failed(Recipient.of("x@example.test"), Replies.NO_SUCH_USER)), "mx", NOW, "01JE4Y7ZQ2S8M9V3K5T0B6C1DZ");
        assertEquals(Envelope.Body.EIGHT_BIT_MIME, dsn.envelope().body());
        assertTrue(dsn.envelope().smtpUtf8());
        assertEquals(dsn.message().length, dsn.envelope().size());
    }
}
