package org.mailroom.ingress.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.ingress.directory.DirectoryReadModel;
import org.mailroom.ingress.protocol.InputFramer;

/** The session state machine, driven directly: no sockets, milliseconds. */
class SmtpSessionTest {

    static final String HASH = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"; // "U*U"

    DirectoryReadModel directory;
    AtomicInteger ids = new AtomicInteger();
    Clock clock = Clock.fixed(Instant.parse("2026-12-03T17:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void directory() {
        directory = new DirectoryReadModel();
        directory.apply("domain:example.test", new DirectoryEntry.Domain("example.test", null));
        directory.apply("domain:catchall.test", new DirectoryEntry.Domain("catchall.test", "alice@example.test"));
        directory.apply("account:alice@example.test", new DirectoryEntry.Account("alice@example.test", HASH, true, 0));
        directory.apply("account:off@example.test", new DirectoryEntry.Account("off@example.test", HASH, false, 0));
        directory.apply("alias:team@example.test", new DirectoryEntry.Alias("team@example.test", List.of("alice@example.test")));
        directory.apply("network:10.0.0.0/8", new DirectoryEntry.Network("10.0.0.0/8"));
        directory.markCaughtUp();
    }

    SmtpSession session(Listener listener, String ip, Envelope.Tls tls) throws Exception {
        SessionSettings settings = new SessionSettings(listener, "mx.example.test", 1000, 3, 5, true, false);
        return new SmtpSession(settings, directory, InetAddress.getByName(ip), tls, clock,
                () -> "Q" + ids.incrementAndGet());
    }

    static String reply(Outcome o) {
        return o.replies().get(o.replies().size() - 1).render().strip();
    }

    static String code(Outcome o) {
        var r = o.replies().get(o.replies().size() - 1);
        return r.code() + (r.enhanced() == null ? "" : " " + r.enhanced());
    }

    /** RFC 1870 §6.1: a SIZE the body budget cannot hold now is refused at MAIL, before the body is sent. */
    @Test
    void aDeclaredSizeTheBudgetCannotHoldNowIsRefusedAtMailForLater() throws Exception {
        SessionSettings settings = new SessionSettings(Listener.MX, "mx.example.test", 1000, 3, 5, true, false);
        SmtpSession s = new SmtpSession(settings, directory, InetAddress.getByName("192.0.2.1"), null, clock,
                () -> "Q" + ids.incrementAndGet(), octets -> octets <= 400);
        s.onLine("EHLO client.example");
        assertEquals("452 4.3.1", code(s.onLine("MAIL FROM:<bob@example.net> SIZE=500")));
        assertEquals("250 2.1.0", code(s.onLine("MAIL FROM:<bob@example.net> SIZE=400")), "no transaction was left open");
        assertEquals("250 2.0.0", code(s.onLine("RSET")));
        assertEquals("250 2.1.0", code(s.onLine("MAIL FROM:<bob@example.net>")), "undeclared: decided at DATA");
    }

    @Test
    void internetToLocalIsDeliveredAndAcknowledgedOnlyAfterThePublish() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        assertTrue(s.greeting().render().startsWith("220 mx.example.test"));
        assertTrue(s.onLine("EHLO client.example").replies().get(0).render().contains("250-ENHANCEDSTATUSCODES\r\n"));
        assertEquals("250 2.1.0", code(s.onLine("MAIL FROM:<bob@example.net> BODY=8BITMIME")));
        assertEquals("250 2.1.5", code(s.onLine("RCPT TO:<Alice@Example.TEST> NOTIFY=FAILURE")));
        assertEquals("250 2.1.5", code(s.onLine("RCPT TO:<team@example.test>")));
        assertEquals("250 2.1.5", code(s.onLine("RCPT TO:<alice+news@example.test>")));
        Outcome data = s.onLine("DATA");
        assertEquals("354", code(data));
        assertInstanceOf(Effect.ReadData.class, data.effect());
        byte[] body = "Subject: hi\r\n\r\nhello\r\n".getBytes(UTF_8);
        Outcome end = s.onData(new InputFramer.Body(body.length, false, false), body);
        assertTrue(end.replies().isEmpty(), "no reply before the broker acknowledged");
        InboundMessage m = assertInstanceOf(Effect.Publish.class, end.effect()).message();
        assertEquals("Q1", m.envelope().queueId());
        assertEquals("bob@example.net", m.envelope().mailFrom());
        assertEquals(3, m.envelope().recipients().size());
        assertEquals("mx", m.envelope().listener());
        assertEquals(Envelope.Body.EIGHT_BIT_MIME, m.envelope().body());
        String text = new String(m.message(), UTF_8);
        assertTrue(text.startsWith("Received: from client.example ([192.0.2.1])\r\n\tby mx.example.test (Mailroom) with ESMTP id Q1; Thu, 03 Dec 2026 17:00:00 +0000\r\n"), text);
        assertTrue(text.endsWith("Subject: hi\r\n\r\nhello\r\n"));
        assertEquals(m.message().length, m.envelope().size());
        assertEquals("250 2.0.0 queued as Q1", reply(s.published()));
        assertNull(s.queueId());
    }

    @Test
    void brokerFailureIsATransientErrorAndNothingIsAccepted() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<bob@example.net>");
        s.onLine("RCPT TO:<alice@example.test>");
        s.onLine("DATA");
        s.onData(new InputFramer.Body(3, false, false), "x\r\n".getBytes(UTF_8));
        assertEquals("451 4.3.0", code(s.publishFailed()));
        assertEquals("503 5.5.1", code(s.onLine("RCPT TO:<alice@example.test>")), "transaction is gone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@remote.example", "user%remote.example@example.test", "\"user@remote.example\"@example.test",
        "remote.example!user@example.test", "@example.test:user@remote.example"})
    void openRelayTricksAreDenied(String rcpt) throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<bob@example.net>");
        assertEquals("554 5.7.1", code(s.onLine("RCPT TO:<" + rcpt + ">")), rcpt);
    }

    @Test
    void unknownAndDisabledLocalUsersAre550_511() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<bob@example.net>");
        assertEquals("550 5.1.1", code(s.onLine("RCPT TO:<nobody@example.test>")));
        assertEquals("550 5.1.1", code(s.onLine("RCPT TO:<off@example.test>")));
        assertEquals("250 2.1.5", code(s.onLine("RCPT TO:<anyone@catchall.test>")));
    }

    @Test
    void trustedNetworksMayRelayAndAnUnusableDirectoryNeverGuesses() throws Exception {
        SmtpSession trusted = session(Listener.MX, "10.1.2.3", null);
        trusted.onLine("HELO c");
        trusted.onLine("MAIL FROM:<app@example.test>");
        assertEquals("250 2.1.5", code(trusted.onLine("RCPT TO:<someone@remote.example>")));

        directory.setHealthy(false);
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<bob@example.net>");
        assertEquals("451 4.3.0", code(s.onLine("RCPT TO:<alice@example.test>")));
    }

    @Test
    void submissionRequiresTlsThenAuthThenOwnSender() throws Exception {
        SmtpSession clear = session(Listener.SUBMISSION, "192.0.2.1", null);
        String ehlo = clear.onLine("EHLO laptop").replies().get(0).render();
        assertTrue(ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"), ehlo);
        assertEquals("538 5.7.11", code(clear.onLine("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABVKlU=")));
        assertEquals("530 5.7.0", code(clear.onLine("MAIL FROM:<alice@example.test>")));
        assertEquals("220 2.0.0", code(clear.onLine("STARTTLS")));

        SmtpSession s = session(Listener.SUBMISSION, "192.0.2.1", new Envelope.Tls("TLSv1.3", "TLS_AES_128_GCM_SHA256"));
        assertTrue(s.onLine("EHLO laptop").replies().get(0).render().contains("AUTH PLAIN LOGIN"));
        Outcome auth = s.onLine("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABVKlU="); // \0alice@example.test\0U*U
        Effect.Authenticate a = assertInstanceOf(Effect.Authenticate.class, auth.effect());
        assertEquals("alice@example.test", a.username());
        assertEquals("U*U", a.password());
        assertEquals("235 2.7.0", code(s.authenticated("alice@example.test")));
        assertEquals("553 5.7.1", code(s.onLine("MAIL FROM:<bob@example.test>")));
        assertEquals("250 2.1.0", code(s.onLine("MAIL FROM:<team@example.test>")), "an alias of the user");
        assertEquals("250 2.1.5", code(s.onLine("RCPT TO:<friend@remote.example>")), "authenticated users relay");
        s.onLine("DATA");
        Outcome end = s.onData(new InputFramer.Body(3, false, false), "x\r\n".getBytes(UTF_8));
        InboundMessage m = ((Effect.Publish) end.effect()).message();
        assertEquals("alice@example.test", m.envelope().authUser());
        assertTrue(new String(m.message(), UTF_8).contains("with ESMTPSA id Q1"));
        assertTrue(new String(m.message(), UTF_8).contains("(version=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256)"));
    }

    @Test
    void authLoginExchangeAndFailure() throws Exception {
        SmtpSession s = session(Listener.SUBMISSIONS, "192.0.2.1", new Envelope.Tls("TLSv1.2", "c"));
        s.onLine("EHLO laptop");
        assertEquals("334 VXNlcm5hbWU6", reply(s.onLine("AUTH LOGIN")));
        assertEquals("334 UGFzc3dvcmQ6", reply(s.onLine("YWxpY2VAZXhhbXBsZS50ZXN0")));
        Effect.Authenticate a = assertInstanceOf(Effect.Authenticate.class, s.onLine("d3Jvbmc=").effect());
        assertEquals("wrong", a.password());
        assertEquals("535 5.7.8", code(s.authenticated(null)));
        assertEquals("501 5.0.0", code(onAuthThenCancel(s)));
    }

    private static Outcome onAuthThenCancel(SmtpSession s) {
        s.onLine("AUTH PLAIN");
        return s.onLine("*");
    }

    @Test
    void startTlsForgetsEverything() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<bob@example.net>");
        s.tlsStarted(new Envelope.Tls("TLSv1.3", "x"));
        assertEquals("503 5.5.1", code(s.onLine("MAIL FROM:<bob@example.net>")), "EHLO again first");
        assertEquals("503 5.5.1", code(s.onLine("STARTTLS")));
    }

    @Test
    void sequenceSizeAndRecipientLimits() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        assertEquals("503 5.5.1", code(s.onLine("MAIL FROM:<bob@example.net>")));
        s.onLine("EHLO c");
        assertEquals("503 5.5.1", code(s.onLine("RCPT TO:<alice@example.test>")));
        assertEquals("503 5.5.1", code(s.onLine("DATA")));
        assertEquals("552 5.3.4", code(s.onLine("MAIL FROM:<bob@example.net> SIZE=1001")));
        s.onLine("MAIL FROM:<bob@example.net> SIZE=1000");
        assertEquals("503 5.5.1", code(s.onLine("MAIL FROM:<bob@example.net>")));
        for (int i = 0; i < 3; i++) {
            assertEquals("250 2.1.5", code(s.onLine("RCPT TO:<alice@example.test>")));
        }
        assertEquals("452 4.5.3", code(s.onLine("RCPT TO:<alice@example.test>")));
        s.onLine("DATA");
        assertEquals("552 5.3.4", code(s.onData(new InputFramer.Body(1001, true, false), new byte[0])));
    }

    @Test
    void smugglingIsRefusedAndTooManyErrorsDisconnect() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<bob@example.net>");
        s.onLine("RCPT TO:<alice@example.test>");
        s.onLine("DATA");
        assertEquals("554 5.5.2", code(s.onData(new InputFramer.Body(5, false, true), "x\n.\ny".getBytes(UTF_8))));
        s.onLine("BOGUS");
        s.onLine("BOGUS");
        s.onLine("BOGUS");
        Outcome last = s.onLine("BOGUS");
        assertEquals("421 4.7.0", code(last));
        assertInstanceOf(Effect.Close.class, last.effect());
    }

    @Test
    void bdatChunksMakeOneMessage() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<bob@example.net> BODY=BINARYMIME");
        s.onLine("RCPT TO:<alice@example.test>");
        assertEquals("503 5.5.1", code(s.onLine("DATA")));
        Outcome first = s.onLine("BDAT 3");
        assertEquals(new Effect.ReadChunk(3, true), first.effect());
        assertEquals("250 2.0.0", code(s.onChunk(new InputFramer.Body(3, false, false), () -> new byte[0])));
        assertEquals(new Effect.ReadChunk(2, false), s.onLine("BDAT 2 LAST").effect());
        Outcome end = s.onChunk(new InputFramer.Body(5, false, false), () -> "ab\0cd".getBytes(UTF_8));
        InboundMessage m = ((Effect.Publish) end.effect()).message();
        assertTrue(new String(m.message(), UTF_8).endsWith("ab\0cd"));
        assertEquals(Envelope.Body.BINARY_MIME, m.envelope().body());
    }

    @Test
    void bdatWithoutATransactionIsReadThenRefused() throws Exception {
        SmtpSession s = session(Listener.MX, "192.0.2.1", null);
        s.onLine("EHLO c");
        assertEquals(new Effect.ReadChunk(4, true), s.onLine("BDAT 4 LAST").effect());
        assertEquals("503 5.5.1", code(s.onChunk(new InputFramer.Body(4, false, false), () -> new byte[0])));
    }
}
