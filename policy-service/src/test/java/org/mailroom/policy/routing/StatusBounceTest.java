package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailroom.core.QueueId;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.core.event.StatusEvent.Status;
import org.mailroom.core.smtp.Reply;

/** Who gets a DSN for a rejection reported on mail.status, and what it says. */
class StatusBounceTest {

    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    static final String QUEUE_ID = "01JE4Y7ZQ2S8M9V3K5T0B6C1DX";
    static final String QUOTA = "552 5.2.2 mailbox full: quota exceeded";

    static StatusEvent rejected(String mailFrom, Set<Recipient.Notify> notify, String headers) {
        Recipient rcpt = new Recipient("alice@example.test", notify, null);
        StatusEvent.Original o = new StatusEvent.Original(mailFrom, rcpt, Envelope.Ret.HDRS, "ENV-7",
                Instant.parse("2026-12-03T09:59:00Z"), false, headers, false);
        return new StatusEvent(QUEUE_ID, "alice@example.test", Status.REJECTED, QUOTA, "mailbox-service", NOW, o);
    }

    static StatusEvent rejected(Set<Recipient.Notify> notify) {
        return rejected("bob@example.net", notify, "Subject: big\r\nMessage-ID: <1@example.net>\r\n");
    }

    @Test
    void aRejectionWithItsOriginalBouncesUnlessNotifySaysOtherwise() {
        assertEquals(StatusBounce.Verdict.SEND, StatusBounce.decide(rejected(null)), "no NOTIFY: FAILURE by default");
        assertEquals(StatusBounce.Verdict.SEND, StatusBounce.decide(rejected(EnumSet.of(Recipient.Notify.FAILURE))));
        assertEquals(StatusBounce.Verdict.SEND,
                StatusBounce.decide(rejected(EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE, Recipient.Notify.DELAY))));
        assertEquals(StatusBounce.Verdict.NOTIFY_NEVER, StatusBounce.decide(rejected(EnumSet.of(Recipient.Notify.NEVER))));
        assertEquals(StatusBounce.Verdict.NOTIFY_WITHOUT_FAILURE, StatusBounce.decide(rejected(EnumSet.of(Recipient.Notify.DELAY))));
        assertEquals(StatusBounce.Verdict.NOTIFY_WITHOUT_FAILURE,
                StatusBounce.decide(rejected(EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.DELAY))));
    }

    @Test
    void aBounceIsNeverBounced() {
        assertEquals(StatusBounce.Verdict.NULL_SENDER, StatusBounce.decide(rejected("", null, "Subject: x\r\n")));
    }

    @Test
    void otherEventsAreNotReturnable() {
        StatusEvent withOriginal = rejected(null);
        assertEquals(StatusBounce.Verdict.NOT_RETURNABLE, StatusBounce.decide(new StatusEvent(QUEUE_ID, "alice@example.test",
                Status.REJECTED, "DENY: 554 5.7.1 relay access denied", "policy-service", NOW)), "policy's own decisions");
        for (Status s : Status.values()) {
            if (s != Status.REJECTED) {
                assertEquals(StatusBounce.Verdict.NOT_RETURNABLE, StatusBounce.decide(new StatusEvent(QUEUE_ID,
                        "alice@example.test", s, "x", "mailbox-service", NOW, withOriginal.original())), s.name());
            }
        }
    }

    @Test
    void theDsnReportsTheMailboxTheReplyAndTheOriginalHeadersFromTheNullSender() {
        InboundMessage dsn = StatusBounce.build(rejected(null), "mx.example.test", NOW);
        Envelope env = dsn.envelope();
        assertTrue(env.nullSender());
        assertEquals(Router.BOUNCE_LISTENER, env.listener());
        assertEquals(java.util.List.of(Recipient.of("bob@example.net")), env.recipients());
        assertEquals(StatusBounce.dsnQueueId(QUEUE_ID, "alice@example.test"), env.queueId());
        String text = new String(dsn.message(), StandardCharsets.UTF_8);
        assertTrue(text.contains("To: <bob@example.net>\r\n"), text);
        assertTrue(text.contains("Original-Envelope-Id: ENV-7\r\n"), text);
        assertTrue(text.contains("X-Mailroom-Queue-ID: " + QUEUE_ID + "\r\n"), text);
        assertTrue(text.contains("Arrival-Date: Thu, 3 Dec 2026 09:59:00 +0000\r\n"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; alice@example.test\r\nAction: failed\r\nStatus: 5.2.2\r\n"
                + "Diagnostic-Code: smtp; 552 5.2.2 mailbox full: quota exceeded\r\n"), text);
        assertFalse(text.contains("Original-Recipient:"), "the RCPT was the mailbox, without ORCPT");
        assertTrue(text.contains("Content-Type: text/rfc822-headers\r\n\r\nSubject: big\r\nMessage-ID: <1@example.net>\r\n\r\n--"), text);
        assertEquals(env.size(), dsn.message().length);
        assertEquals(dsn, EventCodec.decodeInbound(EventCodec.encode(dsn)));

        StatusEvent report = StatusBounce.bounced(rejected(null), dsn, NOW);
        assertEquals(Status.BOUNCED, report.status());
        assertEquals("policy-service", report.service());
        assertTrue(report.reason().startsWith("DSN " + env.queueId() + " to <bob@example.net>: 552 5.2.2"), report.reason());
        assertEquals(StatusBounce.Verdict.NOT_RETURNABLE, StatusBounce.decide(report), "its own report is never bounced");
    }

    @Test
    void anAliasRecipientBecomesTheOriginalRecipient() {
        StatusEvent viaAlias = new StatusEvent(QUEUE_ID, "alice@example.test", Status.REJECTED, QUOTA, "mailbox-service", NOW,
                new StatusEvent.Original("bob@example.net", Recipient.of("team@example.test"), null, null, NOW, false, "", false));
        String text = new String(StatusBounce.build(viaAlias, "mx", NOW).message(), StandardCharsets.UTF_8);
        assertTrue(text.contains("Original-Recipient: rfc822;team@example.test\r\nFinal-Recipient: rfc822; alice@example.test\r\n"), text);
        assertFalse(text.contains("Original-Envelope-Id"), text);
    }

    @Test
    void theReplyIsReadOffTheReason() {
        assertEquals(Reply.of(552, "5.2.2", "mailbox full: quota exceeded"), StatusBounce.reply(QUOTA));
        assertEquals(Reply.of(554, "5.0.0", "disk on fire"), StatusBounce.reply("disk on fire"));
        assertEquals(Reply.of(554, "5.0.0", "452 4.2.2 try later"), StatusBounce.reply("452 4.2.2 try later"), "never a transient DSN");
        assertEquals(Reply.of(554, "5.0.0", "a b"), StatusBounce.reply("a\r\nb"));
        assertEquals(Reply.of(550, "5.1.1", "delivery refused"), StatusBounce.reply("550 5.1.1"));
        assertEquals(Reply.of(554, "5.0.0", "delivery refused"), StatusBounce.reply(null));
    }

    @Test
    void theDsnQueueIdDependsOnlyOnQueueIdAndRecipient() {
        String id = StatusBounce.dsnQueueId(QUEUE_ID, "alice@example.test");
        assertTrue(QueueId.isValid(id), id);
        assertEquals(QueueId.timestamp(QUEUE_ID), QueueId.timestamp(id), "sorts beside the original");
        assertEquals(id, StatusBounce.dsnQueueId(QUEUE_ID, "Alice@Example.Test"));
        assertNotEquals(id, StatusBounce.dsnQueueId(QUEUE_ID, "bob@example.test"));
        assertNotEquals(id, StatusBounce.dsnQueueId("01JE4Y7ZQ2S8M9V3K5T0B6C1DY", "alice@example.test"));
        assertNotEquals(QUEUE_ID, id);
        assertTrue(QueueId.isValid(StatusBounce.dsnQueueId("not-a-queue-id", "alice@example.test")));
    }
}
