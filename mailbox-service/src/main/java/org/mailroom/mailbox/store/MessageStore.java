package org.mailroom.mailbox.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Reads and removes stored messages for the protocols (POP3 now, IMAP later) through Hibernate
 * Reactive with Panache. Callers without a safe Vert.x context go through {@link SafeContext}.
 */
@ApplicationScoped
public class MessageStore {

    /**
     * Removes messages and records them as expunged at a new modseq (RFC 7162 §3.2.10), adjusting the
     * mailbox's counters in the same statement; the UPDATE takes the mailbox row lock, so it
     * serialises with the ingest of new messages.
     */
    private static final String EXPUNGE = """
            WITH gone AS (DELETE FROM mailbox.messages WHERE mailbox_id = :mailbox AND uid IN (:uids) RETURNING uid, size),
                 mb AS (UPDATE mailbox.mailboxes
                           SET highest_modseq = highest_modseq + 1,
                               message_count = message_count - (SELECT count(*) FROM gone),
                               total_size = total_size - (SELECT COALESCE(sum(size), 0) FROM gone)
                         WHERE id = :mailbox
                     RETURNING highest_modseq)
            INSERT INTO mailbox.expunged (mailbox_id, uid, modseq)
            SELECT :mailbox, gone.uid, mb.highest_modseq FROM gone, mb
            ON CONFLICT DO NOTHING""";

    private final Pool pool;
    private final MailboxEvents events;

    public MessageStore(Pool pool, MailboxEvents events) {
        this.pool = pool;
        this.events = events;
    }

    /** An account's INBOX and its messages in UID order; empty when the account has no INBOX yet. */
    public record Snapshot(MailboxEntity mailbox, List<MessageEntity> messages) {}

    /** Messages and octets of an account over all its mailboxes. */
    public record Usage(String account, long messages, long bytes) {}

    public Uni<Optional<Snapshot>> inbox(String account) {
        return Panache.withSession(() -> MailboxEntity.<MailboxEntity>find("account = ?1 and name = ?2", account, Folders.INBOX)
                .firstResult()
                .chain(mailbox -> mailbox == null ? Uni.createFrom().item(Optional.<Snapshot>empty())
                        : MessageEntity.<MessageEntity>list("mailboxId = ?1 order by uid", mailbox.id)
                                .map(messages -> Optional.of(new Snapshot(mailbox, messages)))));
    }

    public Uni<Optional<Usage>> usage(String account) {
        return Panache.withSession(() -> MailboxEntity.<MailboxEntity>list("account", account)).map(boxes -> {
            if (boxes.isEmpty()) {
                return Optional.empty();
            }
            long messages = 0;
            long bytes = 0;
            for (MailboxEntity m : boxes) {
                messages += m.messageCount;
                bytes += m.totalSize;
            }
            return Optional.of(new Usage(account, messages, bytes));
        });
    }

    /** Removes the messages; answers how many went (some may have been expunged over IMAP already). */
    public Uni<Integer> expunge(long mailboxId, List<Long> uids) {
        if (uids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(EXPUNGE)
                .setParameter("mailbox", mailboxId)
                .setParameter("uids", uids)
                .executeUpdate()))
                .invoke(n -> {
                    if (n > 0) {
                        events.announce(mailboxId);
                    }
                });
    }

    /**
     * The octets of a blob of {@code size} octets (the SQL client: plain bytes, no entity needed), in
     * slices when it is large ({@link BlobSlices}).
     */
    public Uni<byte[]> content(byte[] sha256, long size) {
        return BlobSlices.read(pool, sha256, size);
    }
}
