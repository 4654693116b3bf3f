package org.mailroom.mailbox.pop3.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state machine driven directly, against an in-memory backend. */
class Pop3SessionTest {

    /** An in-memory maildrop for alice (password "secret"). */
    static final class FakeBackend implements Pop3Backend {
        final Map<Long, byte[]> messages = new HashMap<>();
        final Set<String> locks = new HashSet<>();
        final List<List<Long>> expunged = new ArrayList<>();
        boolean failExpunge;

        FakeBackend() {
            messages.put(4L, "Subject: one\r\n\r\nfirst\r\n".getBytes(StandardCharsets.US_ASCII));
            messages.put(7L, "Subject: two\r\n\r\n.dot\r\nline2\r\nline3\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public Uni<Optional<String>> authenticate(String login, String password, String clientIp) {
            return Uni.createFrom().item(login.equalsIgnoreCase("alice@example.test") && password.equals("secret")
                    ? Optional.of("alice@example.test") : Optional.empty());
        }

        @Override
        public Uni<Boolean> lock(String account) {
            return Uni.createFrom().item(locks.add(account));
        }

        @Override
        public void unlock(String account) {
            locks.remove(account);
        }

        @Override
        public Uni<Maildrop> open(String account) {
            List<Maildrop.Entry> entries = messages.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> new Maildrop.Entry(e.getKey(), e.getValue().length, new byte[32])).toList();
            return Uni.createFrom().item(new Maildrop(account, 1, 1700000000L, entries));
        }

        @Override
        public Uni<Content> content(Maildrop drop, Maildrop.Entry entry) {
            return Uni.createFrom().item(Content.of(messages.get(entry.uid())));
        }

        @Override
        public Uni<Void> expunge(Maildrop drop, List<Long> uids) {
            if (failExpunge) {
                return Uni.createFrom().failure(new IllegalStateException("db down"));
            }
            expunged.add(uids);
            return Uni.createFrom().voidItem();
        }
    }

    private final FakeBackend backend = new FakeBackend();

    private Pop3Session session(boolean tls) {
        return new Pop3Session(backend, new Pop3Session.Settings("mx.test", true, false), "192.0.2.1", tls);
    }

    private static String send(Pop3Session s, String line) {
        return new String(s.handle(line).await().indefinitely().reply().encode(), StandardCharsets.UTF_8);
    }

    @Test
    void loginListRetrieveDeleteQuit() {
        Pop3Session s = session(true);
        assertEquals("+OK send PASS\r\n", send(s, "USER alice@example.test"));
        assertEquals("+OK maildrop has 2 messages (59 octets)\r\n", send(s, "PASS secret"));
        assertEquals(Pop3Session.State.TRANSACTION, s.state());
        assertEquals("+OK 2 59\r\n", send(s, "STAT"));
        assertEquals("+OK 2 messages (59 octets)\r\n1 23\r\n2 36\r\n.\r\n", send(s, "LIST"));
        assertEquals("+OK unique-id listing follows\r\n1 1700000000.4\r\n2 1700000000.7\r\n.\r\n", send(s, "UIDL"));
        assertEquals("+OK 2 1700000000.7\r\n", send(s, "UIDL 2"));
        assertEquals("+OK 36 octets\r\nSubject: two\r\n\r\n..dot\r\nline2\r\nline3\r\n.\r\n", send(s, "RETR 2"));
        assertEquals("+OK top of message follows\r\nSubject: two\r\n\r\n..dot\r\n.\r\n", send(s, "TOP 2 1"));
        assertEquals("+OK message 1 deleted\r\n", send(s, "DELE 1"));
        assertEquals("-ERR no such message\r\n", send(s, "RETR 1"));
        assertEquals("-ERR no such message\r\n", send(s, "DELE 1"));
        assertEquals("-ERR no such message\r\n", send(s, "LIST 3"));
        assertEquals("+OK 1 36\r\n", send(s, "STAT"));
        Pop3Session.Result quit = s.handle("QUIT").await().indefinitely();
        assertEquals(Pop3Session.Action.CLOSE, quit.action());
        assertEquals(List.of(List.of(4L)), backend.expunged);
        assertTrue(backend.locks.isEmpty(), "lock released");
    }

    @Test
    void rsetUndeletesAndQuitExpungesNothing() {
        Pop3Session s = session(true);
        send(s, "USER alice@example.test");
        send(s, "PASS secret");
        send(s, "DELE 1");
        send(s, "DELE 2");
        assertEquals("+OK maildrop has 2 messages (59 octets)\r\n", send(s, "RSET"));
        s.handle("QUIT").await().indefinitely();
        assertTrue(backend.expunged.isEmpty());
    }

    @Test
    void droppedConnectionDeletesNothingAndReleasesTheLock() {
        Pop3Session s = session(true);
        send(s, "USER alice@example.test");
        send(s, "PASS secret");
        send(s, "DELE 1");
        s.closed();
        assertTrue(backend.expunged.isEmpty());
        assertTrue(backend.locks.isEmpty());
    }

    @Test
    void wrongPasswordIsAuthAndTheMaildropIsLockedOnce() {
        Pop3Session s = session(true);
        send(s, "USER alice@example.test");
        assertEquals("-ERR [AUTH] authentication failed\r\n", send(s, "PASS wrong"));
        assertEquals("-ERR USER first\r\n", send(s, "PASS secret"));
        send(s, "USER alice@example.test");
        send(s, "PASS secret");
        Pop3Session other = session(true);
        String plain = Base64.getEncoder().encodeToString("\u0000alice@example.test\u0000secret".getBytes(StandardCharsets.UTF_8));
        assertEquals("-ERR [IN-USE] maildrop already locked by another session\r\n", send(other, "AUTH PLAIN " + plain));
        assertEquals(Pop3Session.State.AUTHORIZATION, other.state());
    }

    @Test
    void authPlainWithContinuationAndCancel() {
        Pop3Session s = session(true);
        assertEquals("+ \r\n", send(s, "AUTH PLAIN"));
        assertEquals("-ERR authentication cancelled\r\n", send(s, "*"));
        assertEquals("+ \r\n", send(s, "AUTH PLAIN"));
        String plain = Base64.getEncoder().encodeToString("alice@example.test\u0000alice@example.test\u0000secret"
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(send(s, plain).startsWith("+OK maildrop has 2"));
    }

    @Test
    void authPlainRejectsAnotherAuthorizationIdentityAndGarbage() {
        Pop3Session s = session(true);
        String other = Base64.getEncoder().encodeToString("bob@example.test\u0000alice@example.test\u0000secret"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("-ERR [AUTH] authorization identity not permitted\r\n", send(s, "AUTH PLAIN " + other));
        assertEquals("-ERR invalid base64\r\n", send(s, "AUTH PLAIN !!!"));
        assertEquals("-ERR unsupported SASL mechanism\r\n", send(s, "AUTH CRAM-MD5"));
    }

    @Test
    void plaintextLoginRefusedBeforeStls() {
        Pop3Session s = session(false);
        assertEquals("-ERR [AUTH] plaintext authentication disallowed without TLS; use STLS\r\n", send(s, "USER alice@example.test"));
        assertEquals("-ERR [AUTH] plaintext authentication disallowed without TLS; use STLS\r\n", send(s, "AUTH PLAIN"));
        String capa = send(s, "CAPA");
        assertTrue(capa.contains("\r\nSTLS\r\n"), capa);
        assertFalse(capa.contains("USER"), capa);
        Pop3Session.Result stls = s.handle("STLS").await().indefinitely();
        assertEquals(Pop3Session.Action.START_TLS, stls.action());
        s.tlsStarted();
        String after = send(s, "CAPA");
        assertFalse(after.contains("STLS"), after);
        assertTrue(after.contains("\r\nUSER\r\n") && after.contains("\r\nSASL PLAIN\r\n"), after);
        assertEquals("-ERR TLS already active\r\n", send(s, "STLS"));
    }

    @Test
    void commandsOutOfStateAreRefused() {
        Pop3Session s = session(true);
        assertEquals("-ERR command not valid in this state\r\n", send(s, "STAT"));
        assertEquals("-ERR command not valid in this state\r\n", send(s, "RETR 1"));
        send(s, "USER alice@example.test");
        send(s, "PASS secret");
        assertEquals("-ERR command not valid in this state\r\n", send(s, "USER bob"));
        assertEquals("-ERR command not valid in this state\r\n", send(s, "STLS"));
        assertEquals("-ERR unknown command\r\n", send(s, "APOP x y"));
        assertEquals("+OK\r\n", send(s, "NOOP"));
    }

    @Test
    void failedUpdateIsSysTemp() {
        backend.failExpunge = true;
        Pop3Session s = session(true);
        send(s, "USER alice@example.test");
        send(s, "PASS secret");
        send(s, "DELE 2");
        assertEquals("-ERR [SYS/TEMP] some deleted messages not removed\r\n", send(s, "QUIT"));
        assertTrue(backend.locks.isEmpty());
    }
}
