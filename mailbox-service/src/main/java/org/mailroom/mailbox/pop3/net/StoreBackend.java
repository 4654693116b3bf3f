package org.mailroom.mailbox.pop3.net;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.mailroom.mailbox.auth.Authenticator;
import org.mailroom.mailbox.pop3.session.Maildrop;
import org.mailroom.mailbox.pop3.session.Pop3Backend;
import org.mailroom.mailbox.store.BodyMemory;
import org.mailroom.mailbox.store.MaildropLocks;
import org.mailroom.mailbox.store.MessageStore;
import org.mailroom.mailbox.store.SafeContext;

/**
 * The POP3 sessions' view of the directory and the store. The maildrop lock (RFC 1939 §4) is one
 * for all instances ({@link MaildropLocks}, in PostgreSQL).
 */
@ApplicationScoped
public class StoreBackend implements Pop3Backend {

    private final Authenticator authenticator;
    private final MessageStore store;
    private final Vertx vertx;
    private final MaildropLocks locks;
    private final BodyMemory memory;

    public StoreBackend(Authenticator authenticator, MessageStore store, Vertx vertx, MaildropLocks locks,
            BodyMemory memory) {
        this.memory = memory;
        this.authenticator = authenticator;
        this.store = store;
        this.vertx = vertx;
        this.locks = locks;
    }

    @Override
    public Uni<Optional<String>> authenticate(String login, String password, String clientIp) {
        return authenticator.authenticate("pop3", login, password, clientIp);
    }

    @Override
    public Uni<Boolean> lock(String account) {
        return locks.acquire(account);
    }

    @Override
    public void unlock(String account) {
        locks.release(account);
    }

    @Override
    public Uni<Maildrop> open(String account) {
        return SafeContext.run(vertx, () -> store.inbox(account)).map(found -> found
                .map(s -> new Maildrop(account, s.mailbox().id, s.mailbox().uidValidity, s.messages().stream()
                        .map(m -> new Maildrop.Entry(m.uid, m.size, m.blobSha256)).toList()))
                .orElseGet(() -> new Maildrop(account, 0, 0, List.of())));
    }

    @Override
    public Uni<Content> content(Maildrop drop, Maildrop.Entry entry) {
        // as read, dot-stuffed, encoded: three copies until the reply is written (BodyMemory)
        return memory.reserve(3 * entry.size()).chain(share -> store.content(entry.sha256(), entry.size())
                .map(octets -> new Content(octets, share::release))
                .onFailure().invoke(share::release));
    }

    @Override
    public Uni<Void> expunge(Maildrop drop, List<Long> uids) {
        return SafeContext.run(vertx, () -> store.expunge(drop.mailboxId(), uids)).replaceWithVoid();
    }
}
