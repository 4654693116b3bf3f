package org.mailroom.mailbox.pop3.session;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/** What a POP3 session needs from the store and the directory; the net layer wires the real one. */
public interface Pop3Backend {

    /** The canonical account address, or empty when the credentials are wrong. */
    Uni<Optional<String>> authenticate(String login, String password, String clientIp);

    /** RFC 1939 §4: exclusive access to the maildrop; false when another session (on any instance) holds it. */
    Uni<Boolean> lock(String account);

    void unlock(String account);

    Uni<Maildrop> open(String account);

    /** A message's octets, and what to call once its reply has been written (memory given back). */
    Uni<Content> content(Maildrop drop, Maildrop.Entry entry);

    record Content(byte[] octets, Runnable written) {
        public static Content of(byte[] octets) {
            return new Content(octets, () -> { });
        }
    }

    /** RFC 1939 §6 UPDATE: removes the messages (visible over IMAP as expunged). */
    Uni<Void> expunge(Maildrop drop, List<Long> uids);
}
