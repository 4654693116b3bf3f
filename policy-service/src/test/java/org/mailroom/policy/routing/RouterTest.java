package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.LocalDelivery;
import org.mailroom.core.event.OutboundDelivery;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.policy.directory.DirectoryView;

class RouterTest {

    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    static final Router.Settings SETTINGS = new Router.Settings(10, "mx.example.test");
    static final byte[] BODY = "Subject: hi\r\nFrom: a@b\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    static final DirectoryView DIR = Directories.of()
            .domain("example.test", null)
            .domain("other.test", "postmaster@other.test")
            .account("alice@example.test").account("bob@example.test").account("postmaster@other.test")
            .disabled("gone@example.test")
            .alias("team@example.test", "alice@example.test", "bob@example.test")
            .alias("fwd@example.test", "friend@remote.example", "Other@Remote.Example", "pal@elsewhere.example")
            .alias("dangling@example.test", "removed@example.test")
            .network("192.0.2.0/24")
            .network("2001:db8::/32")
            .build();

    static Envelope envelope(String listener, String clientIp, String authUser, String mailFrom, Recipient... rcpts) {
        return new Envelope("01JE4Y7ZQ2S8M9V3K5T0B6C1DX", NOW, "in1", listener, clientIp, "helo", null, authUser,
                mailFrom, List.of(rcpts), null, null, null, false, BODY.length);
    }

    static Router.Plan route(Envelope env) {
        return Router.route(new InboundMessage(env, BODY), DIR, SETTINGS, NOW, () -> "01JE4Y7ZQ2S8M9V3K5T0B6C1DY");
    }

    static Map<String, StatusEvent.Status> statuses(Router.Plan plan) {
        return plan.statuses().stream().collect(Collectors.toMap(StatusEvent::recipient, StatusEvent::status));
    }

    /** The relay matrix over every cell, with each way a sender can be local. */
    @ParameterizedTest(name = "{0} {1} auth={2} -> {3}: {4}")
    @CsvSource(nullValues = "-", value = {
        // listener, client ip, auth user, recipient, expected decision
        "mx,          203.0.113.5, -,     alice@example.test,   local",
        "mx,          203.0.113.5, -,     friend@remote.example, denied",
        "submission,  203.0.113.5, alice, alice@example.test,   local",
        "submission,  203.0.113.5, alice, friend@remote.example, relay",
        "mx,          192.0.2.77,  -,     alice@example.test,   local",
        "mx,          192.0.2.77,  -,     friend@remote.example, relay",
        "mx,          2001:db8::7, -,     friend@remote.example, relay",
        "mx,          2001:db9::7, -,     friend@remote.example, denied",
        "mx,          -,           -,     friend@remote.example, denied",
        "mx,          not-an-ip,   -,     friend@remote.example, denied",
    })
    void theRelayMatrixIsAppliedAgainToEveryRecipient(String listener, String ip, String auth, String rcpt, String decision) {
        Router.Plan plan = route(envelope(listener, ip, auth, "sender@somewhere.example", Recipient.of(rcpt)));
        assertEquals(List.of(new Router.Outcome(rcpt, decision)), plan.outcomes());
        switch (decision) {
            case "local" -> {
                assertEquals(1, plan.local().size());
                assertTrue(plan.outbound().isEmpty());
                assertEquals(StatusEvent.Status.ROUTED, plan.statuses().get(0).status());
            }
            case "relay" -> {
                assertEquals(1, plan.outbound().size());
                assertTrue(plan.local().isEmpty());
                assertEquals(StatusEvent.Status.ROUTED, plan.statuses().get(0).status());
            }
            default -> {
                assertTrue(plan.local().isEmpty() && plan.outbound().isEmpty(), "never an open relay");
                assertEquals(StatusEvent.Status.REJECTED, plan.statuses().get(0).status());
                assertTrue(plan.statuses().get(0).reason().contains("554 5.7.1"), plan.statuses().get(0).reason());
                assertTrue(plan.bounce().isEmpty());
            }
        }
    }

    @Test
    void aPlatformBounceIsALocalSender() {
        Router.Plan plan = route(envelope("bounce", null, null, "", Recipient.of("friend@remote.example")));
        assertEquals("relay", plan.outcomes().get(0).decision());
        Router.Plan forged = route(envelope("mx", "203.0.113.5", null, "", Recipient.of("friend@remote.example")));
        assertEquals("denied", forged.outcomes().get(0).decision(), "a null sender on the MX is still global");
    }

    @Test
    void oneLocalRecordPerMailboxNarrowedToTheRecipientThatLedThere() {
        Recipient team = Recipient.of("team@example.test");
        Recipient alice = Recipient.of("Alice@example.test");
        Router.Plan plan = route(envelope("mx", "203.0.113.5", null, "s@remote.example", team, alice,
                Recipient.of("bob+lists@example.test")));
        assertEquals(List.of("alice@example.test", "bob@example.test"), plan.local().stream().map(LocalDelivery::mailbox).toList());
        for (LocalDelivery d : plan.local()) {
            assertEquals(List.of(team), d.envelope().recipients(), "the first recipient that led there");
            assertArrayEquals(BODY, d.message());
            assertEquals("01JE4Y7ZQ2S8M9V3K5T0B6C1DX", d.envelope().queueId());
            EventCodec.encode(d); // the envelope size still matches the message
        }
        assertEquals(3, plan.statuses().size(), "one status per recipient");
        assertTrue(plan.statuses().stream().allMatch(s -> s.status() == StatusEvent.Status.ROUTED));
        assertEquals(1, plan.aliasExpansions());
    }

    @Test
    void oneOutboundRecordPerDomainWithItsRecipientsOnce() {
        Recipient one = Recipient.of("friend@remote.example");
        Recipient two = Recipient.of("x@Remote.Example");
        Recipient three = Recipient.of("y@third.example");
        Router.Plan plan = route(envelope("submission", "203.0.113.5", "alice", "alice@example.test", one, two, three,
                Recipient.of("FRIEND@remote.example")));
        Map<String, OutboundDelivery> byDomain = plan.outbound().stream()
                .collect(Collectors.toMap(OutboundDelivery::domain, d -> d));
        assertEquals(2, byDomain.size());
        assertEquals(List.of(one, two, Recipient.of("FRIEND@remote.example")), byDomain.get("remote.example").envelope().recipients(),
                "remote local parts are case-sensitive: FRIEND and friend are two recipients");
        assertEquals(List.of(three), byDomain.get("third.example").envelope().recipients());
    }

    @Test
    void anAliasForwardsOutwardEvenForAnInternetSenderWithORCPT() {
        Recipient fwd = new Recipient("fwd@example.test", EnumSet.of(Recipient.Notify.FAILURE), null);
        Router.Plan plan = route(envelope("mx", "203.0.113.5", null, "s@sender.example", fwd));
        Map<String, OutboundDelivery> byDomain = plan.outbound().stream()
                .collect(Collectors.toMap(OutboundDelivery::domain, d -> d));
        assertEquals(List.of("remote.example", "elsewhere.example"), plan.outbound().stream().map(OutboundDelivery::domain).toList());
        Recipient forwarded = byDomain.get("remote.example").envelope().recipients().get(0);
        assertEquals("friend@remote.example", forwarded.address());
        assertEquals("rfc822;fwd@example.test", forwarded.orcpt());
        assertEquals(EnumSet.of(Recipient.Notify.FAILURE), forwarded.notifyOn());
        assertEquals(2, byDomain.get("remote.example").envelope().recipients().size());
        assertEquals("relay", plan.outcomes().get(0).decision());
    }

    @Test
    void undeliverableForALocalSenderBouncesWithADsn() {
        Router.Plan plan = route(envelope("submission", "203.0.113.5", "alice", "alice@example.test",
                Recipient.of("dangling@example.test"), Recipient.of("bob@example.test"), Recipient.of("gone@example.test")));
        Map<String, StatusEvent.Status> s = statuses(plan);
        assertEquals(StatusEvent.Status.BOUNCED, s.get("dangling@example.test"));
        assertEquals(StatusEvent.Status.BOUNCED, s.get("gone@example.test"));
        assertEquals(StatusEvent.Status.ROUTED, s.get("bob@example.test"));
        InboundMessage dsn = plan.bounce().orElseThrow();
        assertEquals("", dsn.envelope().mailFrom());
        assertEquals("bounce", dsn.envelope().listener());
        assertEquals(List.of(Recipient.of("alice@example.test")), dsn.envelope().recipients());
        assertEquals("01JE4Y7ZQ2S8M9V3K5T0B6C1DY", dsn.envelope().queueId());
        String text = new String(dsn.message(), StandardCharsets.UTF_8);
        assertTrue(text.contains("report-type=delivery-status"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; dangling@example.test\r\nAction: failed\r\nStatus: 5.1.1"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; gone@example.test\r\nAction: failed\r\nStatus: 5.2.1"), text);
        assertTrue(text.contains("Subject: hi\r\nFrom: a@b\r\n"), "the original header section comes back");
        assertFalse(text.contains("hello"), "the body does not");
        EventCodec.decodeInbound(EventCodec.encode(dsn)); // a well-formed record
        String reason = plan.statuses().get(0).reason();
        assertTrue(reason.contains("removed@example.test") && reason.contains("dangling@example.test -> removed@example.test"), reason);
    }

    @Test
    void noBackscatterToInternetSendersNullSendersOrNotifyNever() {
        Router.Plan internet = route(envelope("mx", "203.0.113.5", null, "forged@victim.example", Recipient.of("nobody@example.test")));
        assertEquals(StatusEvent.Status.REJECTED, internet.statuses().get(0).status());
        assertTrue(internet.bounce().isEmpty());
        assertEquals("rejected", internet.outcomes().get(0).decision());

        Router.Plan nullSender = route(envelope("bounce", null, null, "", Recipient.of("nobody@example.test")));
        assertTrue(nullSender.bounce().isEmpty(), "RFC 5321 §4.5.5: never a DSN about a DSN");

        Recipient never = new Recipient("nobody@example.test", EnumSet.of(Recipient.Notify.NEVER), null);
        Router.Plan quiet = route(envelope("submission", "203.0.113.5", "alice", "alice@example.test", never));
        assertTrue(quiet.bounce().isEmpty());
        assertEquals(StatusEvent.Status.REJECTED, quiet.statuses().get(0).status());
    }

    @Test
    void catchAllAndMalformedRecipients() {
        Router.Plan plan = route(envelope("mx", "203.0.113.5", null, "s@remote.example",
                Recipient.of("anyone@other.test"), Recipient.of("not an address")));
        assertEquals(List.of("postmaster@other.test"), plan.local().stream().map(LocalDelivery::mailbox).toList());
        Map<String, StatusEvent.Status> s = statuses(plan);
        assertEquals(StatusEvent.Status.REJECTED, s.get("not an address"));
        assertTrue(plan.statuses().get(1).reason().contains("501 5.1.3"));
        assertTrue(Arrays.asList("local", "rejected").equals(plan.outcomes().stream().map(Router.Outcome::decision).toList()));
    }
}
