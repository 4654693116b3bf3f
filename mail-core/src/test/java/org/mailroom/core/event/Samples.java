package org.mailroom.core.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/** Fixed events for the golden files: change them only together with the files and docs/events.md. */
final class Samples {

    static final byte[] MESSAGE = ("Received: from mx.example.net (mx.example.net [192.0.2.10])\r\n"
            + "\tby mail.example.test with ESMTPS id 01JE4Y7ZQ2S8M9V3K5T0B6C1DX; Thu, 3 Dec 2026 17:00:00 +0000\r\n"
            + "From: Bob <bob@example.net>\r\n"
            + "To: alice@example.test\r\n"
            + "Subject: =?UTF-8?B?w6nDqMOg?=\r\n"
            + "\r\n"
            + "Hello,\r\n.. a dot-stuffed line stays unstuffed here\r\n\u00e9 8-bit \u2603\r\n")
            .getBytes(StandardCharsets.UTF_8);

    static Envelope envelope() {
        return new Envelope(
                "01JE4Y7ZQ2S8M9V3K5T0B6C1DX",
                Instant.parse("2026-12-03T17:00:00.123Z"),
                "mail.example.test",
                "mx",
                "192.0.2.10",
                "mx.example.net",
                new Envelope.Tls("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
                null,
                "bob@example.net",
                List.of(new Recipient("alice@example.test", EnumSet.of(Recipient.Notify.DELAY, Recipient.Notify.FAILURE), "rfc822;alice@example.test"),
                        Recipient.of("Carol@Example.Test")),
                Envelope.Ret.HDRS,
                "QQ314159",
                Envelope.Body.EIGHT_BIT_MIME,
                false,
                MESSAGE.length);
    }

    static InboundMessage inbound() {
        return new InboundMessage(envelope(), MESSAGE);
    }

    static LocalDelivery local() {
        Envelope env = envelope().withRecipients(List.of(envelope().recipients().get(0)));
        return new LocalDelivery(env, "alice@example.test", MESSAGE);
    }

    static OutboundDelivery outbound() {
        Envelope env = new Envelope("01JE4Y7ZQ2S8M9V3K5T0B6C1DY", Instant.parse("2026-12-03T17:01:00Z"),
                "mail.example.test", "submission", "2001:db8::5", "laptop", null, "alice@example.test",
                "alice@example.test",
                List.of(Recipient.of("bob@example.net"), Recipient.of("dave@example.net")),
                null, null, Envelope.Body.SEVEN_BIT, false, MESSAGE.length);
        return new OutboundDelivery(env, "example.net", MESSAGE);
    }

    static StatusEvent status() {
        return new StatusEvent("01JE4Y7ZQ2S8M9V3K5T0B6C1DX", "alice@example.test", StatusEvent.Status.STORED,
                "stored in INBOX uid 42", "mailbox-service", Instant.parse("2026-12-03T17:00:01.500Z"));
    }

    /** mailbox-service's over-quota rejection, with what a DSN needs (docs/events.md, "status"). */
    static StatusEvent rejected() {
        LocalDelivery d = local();
        return new StatusEvent("01JE4Y7ZQ2S8M9V3K5T0B6C1DX", "alice@example.test", StatusEvent.Status.REJECTED,
                "552 5.2.2 mailbox full: quota exceeded", "mailbox-service", Instant.parse("2026-12-03T17:00:01.500Z"),
                StatusEvent.Original.of(d.envelope(), d.envelope().recipients().get(0), d.message()));
    }

    static List<DirectoryEntry> directory() {
        return List.of(
                new DirectoryEntry.Domain("example.test", null),
                new DirectoryEntry.Domain("xn--bcher-kva.example", "postmaster@xn--bcher-kva.example"),
                new DirectoryEntry.Account("alice@example.test",
                        "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", true, 1073741824L),
                new DirectoryEntry.Alias("team@example.test", List.of("alice@example.test", "bob@example.net")),
                new DirectoryEntry.Network("10.0.0.0/8"),
                new DirectoryEntry.Network("2001:db8::/32"));
    }

    private Samples() {}
}
