package org.mailroom.mailbox.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mailboxes of an account, for IMAP's authenticated state (RFC 3501 §6.3): list, create,
 * delete, rename, subscribe, status. Names are Unicode with {@code /} between levels; the wire form
 * (modified UTF-7) is the session's business. Through the reactive SQL client, like the ingest:
 * each command is one or two statements.
 */
@ApplicationScoped
public class Mailboxes {

    static final String COLUMNS = "id, name, special_use, subscribed, uid_validity, uid_next, message_count, highest_modseq";

    private static final String LIST = "SELECT " + COLUMNS + " FROM mailbox.mailboxes WHERE account = $1 ORDER BY name COLLATE \"C\"";

    private static final String FIND = "SELECT " + COLUMNS + " FROM mailbox.mailboxes WHERE account = $1 AND name = $2";

    private static final String CREATE = """
            INSERT INTO mailbox.mailboxes (account, name)
            SELECT $1, n FROM unnest($2::text[]) AS n
            ON CONFLICT DO NOTHING RETURNING name""";

    private static final String HAS_CHILDREN = """
            SELECT 1 FROM mailbox.mailboxes WHERE account = $1 AND left(name, length($2) + 1) = $2 || '/' LIMIT 1""";

    private static final String DELETE = "DELETE FROM mailbox.mailboxes WHERE account = $1 AND name = $2 RETURNING id";

    private static final String RENAME = """
            UPDATE mailbox.mailboxes SET name = $3 || substr(name, length($2) + 1)
             WHERE account = $1 AND (name = $2 OR left(name, length($2) + 1) = $2 || '/')""";

    private static final String SUBSCRIBE = "UPDATE mailbox.mailboxes SET subscribed = $3 WHERE account = $1 AND name = $2";

    private static final String STATUS = """
            SELECT m.uid_validity, m.uid_next, m.message_count,
                   (SELECT count(*) FROM mailbox.messages x WHERE x.mailbox_id = m.id AND NOT x.seen) AS unseen,
                   (SELECT count(*) FROM mailbox.messages x WHERE x.mailbox_id = m.id AND x.uid >= m.first_recent_uid) AS recent
              FROM mailbox.mailboxes m WHERE m.account = $1 AND m.name = $2""";

    // RENAME INBOX (RFC 3501 §6.3.5): its messages go to a new mailbox, INBOX stays, empty.
    private static final String LOCK = "SELECT id, uid_next FROM mailbox.mailboxes WHERE account = $1 AND name = $2 FOR UPDATE";
    private static final String CREATE_ONE = """
            INSERT INTO mailbox.mailboxes (account, name, uid_next, message_count, total_size)
            SELECT $1, $2, $3, m.message_count, m.total_size FROM mailbox.mailboxes m WHERE m.id = $4
            RETURNING id""";
    private static final String RECORD_GONE = """
            INSERT INTO mailbox.expunged (mailbox_id, uid, modseq)
            SELECT m.mailbox_id, m.uid, (SELECT highest_modseq + 1 FROM mailbox.mailboxes WHERE id = $1)
              FROM mailbox.messages m WHERE m.mailbox_id = $1
            ON CONFLICT DO NOTHING""";
    private static final String MOVE_ALL = "UPDATE mailbox.messages SET mailbox_id = $2 WHERE mailbox_id = $1";
    private static final String EMPTY = """
            UPDATE mailbox.mailboxes SET message_count = 0, total_size = 0, highest_modseq = highest_modseq + 1
             WHERE id = $1""";

    private final Pool pool;
    private final MailboxEvents events;

    public Mailboxes(Pool pool, MailboxEvents events) {
        this.pool = pool;
        this.events = events;
    }

    /** Every mailbox of the account, by name; the defaults are created on first need (RFC 6154). */
    public Uni<List<MailboxRow>> list(String account) {
        return pool.preparedQuery(LIST).execute(Tuple.of(account)).chain(rows -> {
            if (rows.size() > 0) {
                return Uni.createFrom().item(rows(rows));
            }
            return pool.preparedQuery(MailStore.CREATE_DEFAULTS)
                    .execute(Tuple.of(new String[] {account},
                            Folders.DEFAULTS.stream().map(Folders.Folder::name).toArray(String[]::new),
                            Folders.DEFAULTS.stream().map(Folders.Folder::specialUse).toArray(String[]::new)))
                    .chain(() -> pool.preparedQuery(LIST).execute(Tuple.of(account)))
                    .map(Mailboxes::rows);
        });
    }

    public Uni<Optional<MailboxRow>> find(String account, String name) {
        return pool.preparedQuery(FIND).execute(Tuple.of(account, name))
                .map(rows -> rows(rows).stream().findFirst());
    }

    /**
     * Creates the mailbox and the superior names it needs (RFC 3501 §6.3.3); false when the name
     * itself existed already.
     */
    public Uni<Boolean> create(String account, String name) {
        List<String> names = new ArrayList<>();
        int slash = -1;
        while ((slash = name.indexOf('/', slash + 1)) >= 0) {
            names.add(name.substring(0, slash));
        }
        names.add(name);
        return list(account) // the defaults first, so a CREATE of "Sent" finds it there
                .chain(() -> pool.preparedQuery(CREATE).execute(Tuple.of(account, names.toArray(String[]::new))))
                .map(rows -> {
                    for (Row r : rows) {
                        if (r.getString(0).equals(name)) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    public enum DeleteResult { DELETED, NOT_FOUND, HAS_CHILDREN }

    /**
     * Deletes a mailbox and its messages. One with inferior names is refused, as Dovecot does:
     * RFC 3501 §6.3.4 would otherwise keep it as a {@code \Noselect} name, which this store has not.
     */
    public Uni<DeleteResult> delete(String account, String name) {
        return pool.withTransaction(conn -> conn.preparedQuery(HAS_CHILDREN).execute(Tuple.of(account, name))
                .chain(children -> children.size() > 0 ? Uni.createFrom().item(DeleteResult.HAS_CHILDREN)
                        : conn.preparedQuery(DELETE).execute(Tuple.of(account, name))
                                .map(rows -> rows.size() > 0 ? DeleteResult.DELETED : DeleteResult.NOT_FOUND)));
    }

    public enum RenameResult { RENAMED, NOT_FOUND, EXISTS }

    /** Renames a mailbox with its inferior names (RFC 3501 §6.3.5); INBOX is moved, not renamed. */
    public Uni<RenameResult> rename(String account, String from, String to) {
        long[] emptied = {0};
        return pool.withTransaction(conn -> conn.preparedQuery(FIND).execute(Tuple.of(account, to)).chain(existing -> {
            if (existing.size() > 0) {
                return Uni.createFrom().item(RenameResult.EXISTS);
            }
            if (from.equals(Folders.INBOX)) {
                return renameInbox(conn, account, to, emptied);
            }
            return conn.preparedQuery(RENAME).execute(Tuple.of(account, from, to))
                    .map(rows -> rows.rowCount() > 0 ? RenameResult.RENAMED : RenameResult.NOT_FOUND);
        })).invoke(() -> {
            if (emptied[0] != 0) {
                events.announce(emptied[0]); // sessions on INBOX learn that its messages went
            }
        });
    }

    private Uni<RenameResult> renameInbox(SqlConnection conn, String account, String to, long[] emptied) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(account, Folders.INBOX)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(RenameResult.NOT_FOUND);
            }
            Row inbox = rows.iterator().next();
            long inboxId = inbox.getLong("id");
            return conn.preparedQuery(CREATE_ONE).execute(Tuple.of(account, to, inbox.getLong("uid_next"), inboxId))
                    .chain(created -> conn.preparedQuery(RECORD_GONE).execute(Tuple.of(inboxId))
                            .chain(() -> conn.preparedQuery(MOVE_ALL)
                                    .execute(Tuple.of(inboxId, created.iterator().next().getLong("id")))))
                    .chain(() -> conn.preparedQuery(EMPTY).execute(Tuple.of(inboxId)))
                    .replaceWith(RenameResult.RENAMED)
                    .invoke(() -> emptied[0] = inboxId);
        });
    }

    /** Marks the mailbox (un)subscribed; false when there is no such mailbox. */
    public Uni<Boolean> subscribe(String account, String name, boolean subscribed) {
        return pool.preparedQuery(SUBSCRIBE).execute(Tuple.of(account, name, subscribed)).map(r -> r.rowCount() > 0);
    }

    /** STATUS figures (RFC 3501 §6.3.10). */
    public record Status(long messages, long recent, long uidNext, long uidValidity, long unseen) {}

    public Uni<Optional<Status>> status(String account, String name) {
        return pool.preparedQuery(STATUS).execute(Tuple.of(account, name)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new Status(r.getLong("message_count"), r.getLong("recent"), r.getLong("uid_next"),
                    r.getLong("uid_validity"), r.getLong("unseen")));
        });
    }

    static List<MailboxRow> rows(RowSet<Row> rows) {
        List<MailboxRow> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(row(r));
        }
        return out;
    }

    static MailboxRow row(Row r) {
        return new MailboxRow(r.getLong("id"), r.getString("name"), r.getString("special_use"),
                r.getBoolean("subscribed"), r.getLong("uid_validity"), r.getLong("uid_next"),
                r.getLong("message_count"), r.getLong("highest_modseq"));
    }
}
