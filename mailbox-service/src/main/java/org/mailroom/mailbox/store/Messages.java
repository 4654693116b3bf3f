package org.mailroom.mailbox.store;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The messages of a selected mailbox (RFC 3501 §6.4): open, fetch, flags, expunge, copy, move,
 * append, and the changes since a session's last look. Every write raises the mailbox's
 * highest_modseq in the same statement (so it serialises with the ingest on the mailbox row) and
 * stamps the rows it changed with that modseq; once committed, it is announced to every instance
 * ({@link MailboxEvents#announce}).
 */
@ApplicationScoped
public class Messages {

    private static final String FLAG_COLUMNS = "m.uid, m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords, m.modseq";

    // SELECT claims the recent messages (RFC 3501 §2.3.2) for this session; EXAMINE only looks. The
    // row lock makes two SELECTs at once claim disjoint ranges.
    private static final String CLAIM = """
            WITH old AS (SELECT id, first_recent_uid FROM mailbox.mailboxes WHERE account = $1 AND name = $2 FOR UPDATE)
            UPDATE mailbox.mailboxes m SET first_recent_uid = m.uid_next FROM old WHERE m.id = old.id
            RETURNING m.id, m.name, m.special_use, m.subscribed, m.uid_validity, m.uid_next, m.message_count,
                      m.highest_modseq, old.first_recent_uid""";
    /**
     * The mailbox, the first {@code $3} of its messages' UIDs in order (the binary form of a
     * bigint[], read by {@link UidArrays}), the first unseen UID and the keywords in use (V7's
     * partial index finds the messages that have any), in one snapshot. A mailbox of more messages
     * is read on in pages ({@link #MORE_UIDS}) in the same snapshot ({@link #open}).
     *
     * <p>Pages, not one array: the PostgreSQL client gathers a response that spans many network
     * reads in a buffer it copies whole every 16 reads, so the copies grow with the square of the
     * response. One 12 MB array (a mailbox of a million messages) cost about 140 MB of copies and a
     * full collection of the heap per SELECT; statements of at most 64Ki UIDs (768 KiB) are
     * gathered with next to no copying.
     */
    private static final String OPEN = """
            SELECT b.id, b.name, b.special_use, b.subscribed, b.uid_validity, b.uid_next, b.message_count,
                   b.highest_modseq, b.first_recent_uid,
                   array_send(ARRAY(SELECT m.uid FROM mailbox.messages m WHERE m.mailbox_id = b.id
                                     ORDER BY m.uid LIMIT $3)) AS uids,
                   (SELECT min(m.uid) FROM mailbox.messages m WHERE m.mailbox_id = b.id AND NOT m.seen) AS first_unseen,
                   ARRAY(SELECT DISTINCT k FROM mailbox.messages m, unnest(m.keywords) AS k
                          WHERE m.mailbox_id = b.id AND m.keywords <> '{}' ORDER BY k) AS keywords
              FROM mailbox.mailboxes b WHERE b.account = $1 AND b.name = $2""";
    /** The next {@code $3} UIDs of mailbox $1 above UID $2. */
    private static final String MORE_UIDS = """
            SELECT array_send(ARRAY(SELECT m.uid FROM mailbox.messages m WHERE m.mailbox_id = $1 AND m.uid > $2
                                     ORDER BY m.uid LIMIT $3)) AS uids""";
    /** UIDs per statement of {@link #open}. */
    static final long UID_PAGE = 65536;

    private static final String FETCH = "SELECT " + FLAG_COLUMNS + ", m.internal_date, m.size FROM mailbox.messages m"
            + " WHERE m.mailbox_id = $1 AND m.uid = ANY($2) ORDER BY m.uid";
    /**
     * %s: the length of the part wanted (the whole message or its header section); the part comes
     * along when it is at most $3 octets, else it is read in slices ({@link BlobSlices}).
     */
    private static final String FETCH_CONTENT = "SELECT " + FLAG_COLUMNS + """
            , m.internal_date, m.size, m.blob_sha256, %1$s AS part_size,
                   CASE WHEN %1$s <= $3 THEN substring(b.content FROM 1 FOR (%1$s)::int) END AS content
              FROM mailbox.messages m JOIN mailbox.blobs b ON b.sha256 = m.blob_sha256
             WHERE m.mailbox_id = $1 AND m.uid = ANY($2) ORDER BY m.uid""";
    private static final String FETCH_FULL = FETCH_CONTENT.formatted("m.size");
    private static final String FETCH_HEADER = FETCH_CONTENT.formatted("b.header_size");

    /** %s: the content expression summed and read; rows past $3 octets come without content. */
    private static final String FETCH_BOUNDED = "SELECT " + FLAG_COLUMNS + """
            , m.internal_date, m.size,
                   CASE WHEN sum(%s) OVER (ORDER BY m.uid) <= $3 THEN %s END AS content
              FROM mailbox.messages m JOIN mailbox.blobs b ON b.sha256 = m.blob_sha256
             WHERE m.mailbox_id = $1 AND m.uid = ANY($2) ORDER BY m.uid""";
    private static final String FETCH_BOUNDED_FULL = FETCH_BOUNDED.formatted("m.size", "b.content");
    private static final String FETCH_BOUNDED_HEADER = FETCH_BOUNDED.formatted("b.header_size",
            "substring(b.content FROM 1 FOR b.header_size::int)");

    private static final String BUMP = """
            WITH mb AS (UPDATE mailbox.mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = $1
                        AND EXISTS (SELECT 1 FROM mailbox.messages WHERE mailbox_id = $1 AND uid = ANY($2))
                        RETURNING highest_modseq)
            """;
    private static final String STORE_REPLACE = BUMP + """
            UPDATE mailbox.messages m SET seen = $3, answered = $4, flagged = $5, deleted = $6, draft = $7,
                   keywords = $8, modseq = mb.highest_modseq
              FROM mb WHERE m.mailbox_id = $1 AND m.uid = ANY($2)
            RETURNING\s""" + FLAG_COLUMNS;
    private static final String STORE_ADD = BUMP + """
            UPDATE mailbox.messages m SET seen = m.seen OR $3, answered = m.answered OR $4, flagged = m.flagged OR $5,
                   deleted = m.deleted OR $6, draft = m.draft OR $7,
                   keywords = m.keywords || ARRAY(SELECT k FROM unnest($8::text[]) AS k
                                                   WHERE lower(k) <> ALL (SELECT lower(x) FROM unnest(m.keywords) AS x)),
                   modseq = mb.highest_modseq
              FROM mb WHERE m.mailbox_id = $1 AND m.uid = ANY($2)
            RETURNING\s""" + FLAG_COLUMNS;
    private static final String STORE_REMOVE = BUMP + """
            UPDATE mailbox.messages m SET seen = m.seen AND NOT $3, answered = m.answered AND NOT $4,
                   flagged = m.flagged AND NOT $5, deleted = m.deleted AND NOT $6, draft = m.draft AND NOT $7,
                   keywords = ARRAY(SELECT k FROM unnest(m.keywords) AS k
                                     WHERE lower(k) <> ALL (SELECT lower(x) FROM unnest($8::text[]) AS x)),
                   modseq = mb.highest_modseq
              FROM mb WHERE m.mailbox_id = $1 AND m.uid = ANY($2)
            RETURNING\s""" + FLAG_COLUMNS;

    /**
     * Removes the first $3 \Deleted messages among $2 (all of them when $2 is null), RFC 3501 §6.4.3,
     * RFC 4315 §2.1; the caller repeats it until none come back.
     */
    private static final String EXPUNGE = """
            WITH gone AS (DELETE FROM mailbox.messages WHERE mailbox_id = $1 AND uid IN (
                              SELECT uid FROM mailbox.messages WHERE mailbox_id = $1 AND deleted
                                 AND ($2::bigint[] IS NULL OR uid = ANY($2)) ORDER BY uid LIMIT $3)
                              -- checked again on the row as it is now: a message undeleted meanwhile stays
                              AND deleted
                          RETURNING uid, size),
                 mb AS (UPDATE mailbox.mailboxes
                           SET highest_modseq = highest_modseq + 1,
                               message_count = message_count - (SELECT count(*) FROM gone),
                               total_size = total_size - (SELECT COALESCE(sum(size), 0) FROM gone)
                         WHERE id = $1 AND EXISTS (SELECT 1 FROM gone)
                     RETURNING highest_modseq),
                 rec AS (INSERT INTO mailbox.expunged (mailbox_id, uid, modseq)
                         SELECT $1, gone.uid, mb.highest_modseq FROM gone, mb ON CONFLICT DO NOTHING)
            SELECT gone.uid, (SELECT highest_modseq FROM mb) AS modseq FROM gone ORDER BY gone.uid""";

    private static final String REMOVE = """
            WITH gone AS (DELETE FROM mailbox.messages WHERE mailbox_id = $1 AND uid = ANY($2) RETURNING uid, size),
                 mb AS (UPDATE mailbox.mailboxes
                           SET highest_modseq = highest_modseq + 1,
                               message_count = message_count - (SELECT count(*) FROM gone),
                               total_size = total_size - (SELECT COALESCE(sum(size), 0) FROM gone)
                         WHERE id = $1 AND EXISTS (SELECT 1 FROM gone)
                     RETURNING highest_modseq),
                 rec AS (INSERT INTO mailbox.expunged (mailbox_id, uid, modseq)
                         SELECT $1, gone.uid, mb.highest_modseq FROM gone, mb ON CONFLICT DO NOTHING
                         RETURNING modseq)
            SELECT max(modseq) FROM rec""";

    /**
     * What changed after ($2 modseq, $3 uid) in that order, at most $4 rows, in one snapshot: flags
     * of the messages up to UID $5 (those above are new, told by NEW_MESSAGES) and expunges; and the
     * mailbox's highest modseq and first unclaimed UID (the 'h' row).
     */
    private static final String CHANGES = """
            SELECT * FROM (
                (SELECT 'm' AS kind, m.uid, m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords, m.modseq
                   FROM mailbox.messages m WHERE m.mailbox_id = $1 AND (m.modseq, m.uid) > ($2, $3) AND m.uid <= $5
                  ORDER BY m.modseq, m.uid LIMIT $4)
                UNION ALL
                (SELECT 'x', e.uid, NULL, NULL, NULL, NULL, NULL, NULL, e.modseq
                   FROM mailbox.expunged e WHERE e.mailbox_id = $1 AND (e.modseq, e.uid) > ($2, $3)
                  ORDER BY e.modseq, e.uid LIMIT $4)
                ORDER BY modseq, uid LIMIT $4) page
            UNION ALL
            SELECT 'h', b.first_recent_uid, NULL, NULL, NULL, NULL, NULL, NULL, b.highest_modseq
              FROM mailbox.mailboxes b WHERE b.id = $1""";

    /** The messages above UID $2, at most $3, ascending; with the mailbox's first unclaimed UID. */
    private static final String NEW_MESSAGES = """
            SELECT b.first_recent_uid,
                   ARRAY(SELECT m.uid FROM mailbox.messages m WHERE m.mailbox_id = b.id AND m.uid > $2
                          ORDER BY m.uid LIMIT $3) AS uids
              FROM mailbox.mailboxes b WHERE b.id = $1""";

    /**
     * A session that learns of new mail claims it as recent (RFC 3501 §2.3.2) up to {@code $2} (the
     * highest new UID + 1); answers the first UID that was still unclaimed. The row lock makes
     * two sessions' claims disjoint.
     */
    private static final String CLAIM_NEW = """
            WITH old AS (SELECT id, first_recent_uid FROM mailbox.mailboxes WHERE id = $1 FOR UPDATE)
            UPDATE mailbox.mailboxes m SET first_recent_uid = GREATEST(old.first_recent_uid, $2)
              FROM old WHERE m.id = old.id
            RETURNING old.first_recent_uid""";

    private static final String LOCK_TARGET = """
            SELECT id, uid_validity, uid_next, highest_modseq FROM mailbox.mailboxes
             WHERE account = $1 AND name = $2 FOR UPDATE""";
    // COPY and MOVE answer one row however many messages they handle (a mailbox may hold 700,000).
    private static final String SOURCE = """
            SELECT COALESCE(array_agg(uid ORDER BY uid), '{}') FROM mailbox.messages WHERE mailbox_id = $1 AND uid = ANY($2)""";
    private static final String COPY = "WITH ins AS (" + """
            INSERT INTO mailbox.messages (mailbox_id, uid, blob_sha256, size, internal_date, seen, answered, flagged,
                                          deleted, draft, keywords, modseq, queue_id)
            SELECT $2, $4 + v.n - 1, m.blob_sha256, m.size, m.internal_date, m.seen, m.answered, m.flagged, m.deleted,
                   m.draft, m.keywords, $5, m.queue_id
              FROM unnest($3::bigint[]) WITH ORDINALITY AS v(uid, n)
              JOIN mailbox.messages m ON m.mailbox_id = $1 AND m.uid = v.uid
            RETURNING uid, size""" + ") SELECT count(*), COALESCE(sum(size), 0),"
            // the new UIDs only when a source message went meanwhile (their gaps tell which)
            + " CASE WHEN count(*) < $6 THEN array_agg(uid ORDER BY uid) END FROM ins";
    private static final String GROW = """
            UPDATE mailbox.mailboxes SET uid_next = $2, highest_modseq = $3, message_count = message_count + $4,
                   total_size = total_size + $5 WHERE id = $1""";
    private static final String INSERT_BLOB = """
            INSERT INTO mailbox.blobs (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""";
    private static final String INSERT_MESSAGE = """
            INSERT INTO mailbox.messages (mailbox_id, uid, blob_sha256, size, internal_date, seen, answered, flagged,
                                          deleted, draft, keywords, modseq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""";

    private final Pool pool;
    private final MailboxEvents events;
    private final BodyMemory bodyMemory;

    public Messages(Pool pool, MailboxEvents events, BodyMemory bodyMemory) {
        this.pool = pool;
        this.events = events;
        this.bodyMemory = bodyMemory;
    }

    /** The instance's budget for bodies held while they are served. */
    public BodyMemory bodyMemory() {
        return bodyMemory;
    }

    /** A mailbox opened by SELECT or EXAMINE: its UIDs in order, and what the reply announces. */
    /** A mailbox opened by SELECT or EXAMINE; the UIDs in [recentFrom, recentTo) are recent to the session. */
    public record Opened(MailboxRow mailbox, long recentFrom, long recentTo, long[] uids, long firstUnseenUid,
            List<String> keywords) {}

    /**
     * Opens the mailbox: one statement in the steady state (EXAMINE, or no recent message to claim,
     * and at most {@link #UID_PAGE} messages), the mailbox row and its UIDs in one snapshot. A
     * SELECT that finds recent messages to claim writes the claim, then reads the mailbox again in
     * the same transaction. A larger mailbox is read again page by page in one REPEATABLE READ
     * transaction, so that all pages are of one snapshot.
     */
    public Uni<Optional<Opened>> open(String account, String name, boolean claimRecent) {
        return open(account, name, claimRecent, UID_PAGE);
    }

    /** {@link #open(String, String, boolean)} with pages of {@code page} UIDs (a test's few). */
    Uni<Optional<Opened>> open(String account, String name, boolean claimRecent, long page) {
        return pool.preparedQuery(OPEN).execute(Tuple.of(account, name, page)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<Opened>empty());
            }
            Row r = rows.iterator().next();
            if (claimRecent && r.getLong("first_recent_uid") < r.getLong("uid_next")) {
                return claimAndRead(account, name, page);
            }
            Buffer first = r.getBuffer("uids").getDelegate();
            if (UidArrays.count(first) < page) {
                return Uni.createFrom().item(Optional.of(new Read(r, List.of(first)).opened(claimRecent)));
            }
            return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute().chain(() -> read(conn, account, name, page))).chain(read -> {
                        if (read.isPresent() && claimRecent && read.get().unclaimed()) { // mail came meanwhile
                            return claimAndRead(account, name, page);
                        }
                        return Uni.createFrom().item(read.map(o -> o.opened(claimRecent)));
                    });
        });
    }

    /**
     * One transaction: the claim's row lock keeps deliveries, flag changes and expunges (each
     * updates the mailbox row) out until the UIDs are read, so what this session is shown and what
     * it claimed are the same messages, over as many pages as it takes.
     */
    private Uni<Optional<Opened>> claimAndRead(String account, String name, long page) {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM).execute(Tuple.of(account, name))
                .chain(claimed -> read(conn, account, name, page).map(read -> read.map(o -> {
                    if (claimed.size() == 0) { // the mailbox went between the statements
                        return o.opened(true);
                    }
                    Row c = claimed.iterator().next();
                    return o.opened(c.getLong("first_recent_uid"), c.getLong("uid_next"));
                }))));
    }

    /** The mailbox row of {@link #OPEN} and its UIDs, page by page. */
    private record Read(Row row, List<Buffer> pages) {
        /** Messages arrived that no session has claimed as recent. */
        boolean unclaimed() {
            return row.getLong("first_recent_uid") < row.getLong("uid_next");
        }

        /** SELECT with nothing left to claim (no message is recent to it), or EXAMINE: what no one claimed. */
        Opened opened(boolean claimRecent) {
            long uidNext = row.getLong("uid_next");
            return opened(claimRecent ? uidNext : row.getLong("first_recent_uid"), uidNext);
        }

        Opened opened(long recentFrom, long recentTo) {
            Long firstUnseen = row.getLong("first_unseen");
            return new Opened(Mailboxes.row(row), recentFrom, recentTo, UidArrays.concat(pages),
                    firstUnseen == null ? 0 : firstUnseen, Arrays.asList(row.getArrayOfStrings("keywords")));
        }
    }

    private Uni<Optional<Read>> read(SqlConnection conn, String account, String name, long page) {
        return conn.preparedQuery(OPEN).execute(Tuple.of(account, name, page)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<Read>empty());
            }
            Row r = rows.iterator().next();
            List<Buffer> pages = new ArrayList<>();
            pages.add(r.getBuffer("uids").getDelegate());
            return more(conn, r.getLong("id"), pages, page).replaceWith(() -> Optional.of(new Read(r, pages)));
        });
    }

    /** Adds pages of UIDs to {@code pages} until one comes back short. */
    private Uni<Void> more(SqlConnection conn, long mailboxId, List<Buffer> pages, long page) {
        Buffer last = pages.get(pages.size() - 1);
        if (UidArrays.count(last) < page) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(MORE_UIDS).execute(Tuple.of(mailboxId, UidArrays.last(last), page))
                .chain(rows -> {
                    pages.add(rows.iterator().next().getBuffer("uids").getDelegate());
                    return more(conn, mailboxId, pages, page);
                });
    }

    /** What a fetch needs of the body. */
    public enum Content { NONE, HEADER, FULL }

    /**
     * Whole messages (FULL) or their header sections (HEADER) of these UIDs, in UID order, reading
     * content only while its running total stays within {@code maxBytes}: the rows past it come
     * without content and are asked for again by the caller (a first message larger than that
     * alone, with a share of its own). One statement in the common case.
     */
    public Uni<List<MessageRow>> fetchBounded(long mailboxId, long[] uids, Content content, long maxBytes) {
        String sql = switch (content) {
            case FULL -> FETCH_BOUNDED_FULL;
            case HEADER -> FETCH_BOUNDED_HEADER;
            case NONE -> throw new IllegalArgumentException("nothing to bound");
        };
        return pool.preparedQuery(sql).execute(Tuple.of(mailboxId, boxed(uids), maxBytes)).map(rows -> {
            List<MessageRow> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                io.vertx.mutiny.core.buffer.Buffer body = r.getBuffer("content");
                out.add(new MessageRow(r.getLong("uid"), flags(r), r.getOffsetDateTime("internal_date"),
                        r.getLong("size"), r.getLong("modseq"), body == null ? null : body.getBytes()));
            }
            return out;
        });
    }

    /** The rows of these UIDs (those that still exist), in UID order. */
    public Uni<List<MessageRow>> fetch(long mailboxId, long[] uids, Content content) {
        if (content == Content.NONE) {
            return pool.preparedQuery(FETCH).execute(Tuple.of(mailboxId, boxed(uids))).map(rows -> {
                List<MessageRow> out = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    out.add(new MessageRow(r.getLong("uid"), flags(r), r.getOffsetDateTime("internal_date"),
                            r.getLong("size"), r.getLong("modseq"), null));
                }
                return out;
            });
        }
        String sql = content == Content.FULL ? FETCH_FULL : FETCH_HEADER;
        return pool.preparedQuery(sql).execute(Tuple.of(mailboxId, boxed(uids), (long) BlobSlices.SLICE))
                .chain(rows -> {
                    List<Row> all = new ArrayList<>(rows.size());
                    rows.forEach(all::add);
                    return withContent(all, 0, new ArrayList<>(all.size()));
                });
    }

    /** The rows from {@code i} on as MessageRows, a part too large for its row read in slices. */
    private Uni<List<MessageRow>> withContent(List<Row> rows, int i, List<MessageRow> out) {
        for (; i < rows.size(); i++) {
            Row r = rows.get(i);
            io.vertx.mutiny.core.buffer.Buffer part = r.getBuffer("content");
            if (part == null) {
                int next = i + 1;
                return BlobSlices.read(pool, r.getBuffer("blob_sha256").getBytes(), r.getLong("part_size"))
                        .chain(octets -> {
                            out.add(row(r, octets));
                            return withContent(rows, next, out);
                        });
            }
            out.add(row(r, part.getBytes()));
        }
        return Uni.createFrom().item(out);
    }

    private static MessageRow row(Row r, byte[] content) {
        return new MessageRow(r.getLong("uid"), flags(r), r.getOffsetDateTime("internal_date"), r.getLong("size"),
                r.getLong("modseq"), content);
    }

    public enum Mode { REPLACE, ADD, REMOVE }

    /** Changes the flags of these UIDs; answers the new flags of each message changed, by UID. */
    public Uni<List<MessageRow>> store(long mailboxId, long[] uids, Mode mode, MessageFlags f) {
        if (uids.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        String sql = switch (mode) {
            case REPLACE -> STORE_REPLACE;
            case ADD -> STORE_ADD;
            case REMOVE -> STORE_REMOVE;
        };
        return pool.preparedQuery(sql).execute(Tuple.wrap(new ArrayList<>(List.of(mailboxId, boxed(uids), f.seen(),
                        f.answered(), f.flagged(), f.deleted(), f.draft(), f.keywords().toArray(String[]::new)))))
                .map(Messages::flagRows)
                .invoke(rows -> {
                    if (!rows.isEmpty()) {
                        events.announce(mailboxId);
                    }
                });
    }

    /** UIDs removed, ascending, and the modseq of their removal (0 when none was). */
    public record Expunged(long[] uids, long modseq) {}

    /** Expunges the \Deleted messages (among {@code uids} when given). */
    /** Expunges at most {@code limit} of the \Deleted messages (among {@code uids} when given), lowest UIDs first. */
    public Uni<Expunged> expunge(long mailboxId, long[] uids, int limit) {
        return pool.preparedQuery(EXPUNGE).execute(Tuple.of(mailboxId, uids == null ? null : boxed(uids), limit))
                .map(rows -> {
                    long[] out = new long[rows.size()];
                    long modseq = 0;
                    int i = 0;
                    for (Row r : rows) {
                        out[i++] = r.getLong(0);
                        modseq = r.getLong(1);
                    }
                    if (out.length > 0) {
                        events.announce(mailboxId);
                    }
                    return new Expunged(out, modseq);
                });
    }

    /**
     * One page of what changed: messages changed or added (by UID) and UIDs expunged (ascending);
     * {@code firstRecentUid}: the first UID no session claimed as recent. When {@code more}, the
     * next page starts after ({@code lastModseq}, {@code lastUid}).
     */
    public record Changes(long highestModseq, List<MessageRow> changed, long[] expunged, long firstRecentUid,
            boolean more, long lastModseq, long lastUid) {}

    /** What changed after ({@code sinceModseq}, {@code afterUid}), at most {@code limit} rows. */
    public Uni<Changes> changes(long mailboxId, long sinceModseq, long afterUid, long knownMax, int limit) {
        return pool.preparedQuery(CHANGES).execute(Tuple.of(mailboxId, sinceModseq, afterUid, limit, knownMax)).map(rows -> {
            long highest = sinceModseq;
            long firstRecent = Long.MAX_VALUE;
            long lastModseq = sinceModseq;
            long lastUid = afterUid;
            int n = 0;
            List<MessageRow> changed = new ArrayList<>();
            long[] expunged = new long[8];
            int gone = 0;
            for (Row r : rows) {
                String kind = r.getString("kind");
                if (kind.equals("h")) {
                    highest = r.getLong("modseq");
                    firstRecent = r.getLong("uid");
                    continue;
                }
                n++;
                long modseq = r.getLong("modseq");
                long uid = r.getLong("uid");
                if (modseq > lastModseq || (modseq == lastModseq && uid > lastUid)) {
                    lastModseq = modseq;
                    lastUid = uid;
                }
                if (kind.equals("m")) {
                    changed.add(new MessageRow(uid, flags(r), null, 0, modseq, null));
                } else {
                    if (gone == expunged.length) {
                        expunged = Arrays.copyOf(expunged, gone * 2);
                    }
                    expunged[gone++] = uid;
                }
            }
            changed.sort((a, b) -> Long.compare(a.uid(), b.uid()));
            long[] expungedUids = Arrays.copyOf(expunged, gone);
            Arrays.sort(expungedUids);
            return new Changes(Math.max(highest, lastModseq), changed, expungedUids, firstRecent, n >= limit, lastModseq,
                    lastUid);
        });
    }

    /** Messages above a UID, ascending, and the first UID no session claimed as recent. */
    public record NewMessages(long[] uids, long firstRecentUid) {}

    /** The first {@code limit} messages above UID {@code afterUid}. */
    public Uni<NewMessages> newMessages(long mailboxId, long afterUid, int limit) {
        return pool.preparedQuery(NEW_MESSAGES).execute(Tuple.of(mailboxId, afterUid, limit)).map(rows -> {
            if (rows.size() == 0) {
                return new NewMessages(new long[0], Long.MAX_VALUE);
            }
            Row r = rows.iterator().next();
            Long[] boxedUids = r.getArrayOfLongs("uids");
            long[] uids = new long[boxedUids.length];
            for (int i = 0; i < uids.length; i++) {
                uids[i] = boxedUids[i];
            }
            return new NewMessages(uids, r.getLong("first_recent_uid"));
        });
    }

    /** Claims the UIDs below {@code upTo} that no session has claimed; answers the first of them (≥ upTo: none). */
    public Uni<Long> claimRecent(long mailboxId, long upTo) {
        return pool.preparedQuery(CLAIM_NEW).execute(Tuple.of(mailboxId, upTo))
                .map(rows -> rows.size() == 0 ? upTo : rows.iterator().next().getLong(0));
    }

    /**
     * Where copied messages went (RFC 4315 §3 COPYUID): source and target UIDs, pairwise ascending;
     * for a MOVE, the modseq of the removal from the source (0 otherwise).
     */
    public record Copied(long uidValidity, long[] sourceUids, long[] targetUids, long sourceModseq, long targetId) {}

    /** COPY (RFC 3501 §6.4.7: flags and internal date kept) or, with {@code move}, MOVE (RFC 6851). Empty: no target. */
    public Uni<Optional<Copied>> copy(String account, long sourceId, long[] uids, String target, boolean move) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_TARGET).execute(Tuple.of(account, target)).chain(t -> {
            if (t.size() == 0) {
                return Uni.createFrom().item(Optional.<Copied>empty());
            }
            Row box = t.iterator().next();
            long targetId = box.getLong("id");
            long uidValidity = box.getLong("uid_validity");
            long uidNext = box.getLong("uid_next");
            long modseq = box.getLong("highest_modseq") + 1;
            return conn.preparedQuery(SOURCE).execute(Tuple.of(sourceId, boxed(uids))).chain(src -> {
                Long[] sources = src.iterator().next().getArrayOfLongs(0);
                long[] from = new long[sources.length];
                long[] to = new long[sources.length];
                for (int i = 0; i < from.length; i++) {
                    from[i] = sources[i];
                    to[i] = uidNext + i;
                }
                if (from.length == 0) {
                    return Uni.createFrom().item(Optional.of(new Copied(uidValidity, from, to, 0, targetId)));
                }
                long[][] pairs = {from, to}; // what was copied: all of them unless some went meanwhile
                return conn.preparedQuery(COPY)
                        .execute(Tuple.wrap(new ArrayList<>(List.of(sourceId, targetId, sources, uidNext, modseq,
                                (long) from.length))))
                        .chain(inserted -> {
                            Row r = inserted.iterator().next();
                            long count = r.getLong(0);
                            long bytes = r.getLong(1);
                            if (count < from.length) { // keep the pairs that were copied (RFC 4315 COPYUID)
                                Long[] made = r.getArrayOfLongs(2);
                                long[] keptFrom = new long[made.length];
                                long[] keptTo = new long[made.length];
                                for (int i = 0; i < made.length; i++) {
                                    keptTo[i] = made[i];
                                    keptFrom[i] = from[(int) (made[i] - uidNext)];
                                }
                                pairs[0] = keptFrom;
                                pairs[1] = keptTo;
                            }
                            return conn.preparedQuery(GROW).execute(Tuple.wrap(new ArrayList<>(List.of(
                                    targetId, uidNext + from.length, modseq, count, bytes))));
                        })
                        .chain(() -> move ? conn.preparedQuery(REMOVE).execute(Tuple.of(sourceId,
                                        pairs[0] == from ? sources : boxed(pairs[0])))
                                .map(rows -> {
                                    Long removed = rows.iterator().next().getLong(0);
                                    return removed == null ? 0L : removed;
                                })
                                : Uni.createFrom().item(0L))
                        .map(removed -> Optional.of(new Copied(uidValidity, pairs[0], pairs[1], removed, targetId)));
            });
        })).invoke(copied -> copied.ifPresent(c -> {
            if (c.sourceUids().length > 0) {
                if (move) {
                    events.announce(c.targetId(), sourceId);
                } else {
                    events.announce(c.targetId());
                }
            }
        }));
    }

    /** Where an appended message went (RFC 4315 §3 APPENDUID). */
    public record Appended(long uidValidity, long uid, long mailboxId) {}

    /** APPEND (RFC 3501 §6.3.11); empty when there is no such mailbox. */
    public Uni<Optional<Appended>> append(String account, String mailbox, MessageFlags flags, OffsetDateTime date,
            byte[] message) {
        byte[] sha = sha256(message);
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_TARGET).execute(Tuple.of(account, mailbox)).chain(t -> {
            if (t.size() == 0) {
                return Uni.createFrom().item(Optional.<Appended>empty());
            }
            Row box = t.iterator().next();
            long id = box.getLong("id");
            long uid = box.getLong("uid_next");
            long modseq = box.getLong("highest_modseq") + 1;
            return conn.preparedQuery(INSERT_BLOB).execute(Tuple.of(Buffer.buffer(sha), (long) message.length,
                            Buffer.buffer(message)))
                    .chain(() -> conn.preparedQuery(INSERT_MESSAGE).execute(Tuple.wrap(new ArrayList<>(List.of(
                            id, uid, Buffer.buffer(sha), (long) message.length, date, flags.seen(), flags.answered(),
                            flags.flagged(), flags.deleted(), flags.draft(), flags.keywords().toArray(String[]::new),
                            modseq)))))
                    .chain(() -> conn.preparedQuery(GROW).execute(Tuple.wrap(new ArrayList<>(List.of(
                            id, uid + 1, modseq, 1L, (long) message.length)))))
                    .replaceWith(Optional.of(new Appended(box.getLong("uid_validity"), uid, id)));
        })).invoke(appended -> appended.ifPresent(a -> events.announce(a.mailboxId())));
    }

    /** UIDs matching a SQL condition over {@code m} (see SearchSql), ascending. */
    public Uni<long[]> search(long mailboxId, String condition, List<Object> params) {
        List<Object> all = new ArrayList<>(params.size() + 1);
        all.add(mailboxId);
        all.addAll(params);
        return pool.preparedQuery("SELECT m.uid FROM mailbox.messages m WHERE m.mailbox_id = $1 AND (" + condition
                        + ") ORDER BY m.uid")
                .execute(Tuple.wrap(all))
                .map(rows -> {
                    long[] out = new long[rows.size()];
                    int i = 0;
                    for (Row r : rows) {
                        out[i++] = r.getLong(0);
                    }
                    return out;
                });
    }

    static MessageFlags flags(Row r) {
        String[] keywords = r.getArrayOfStrings("keywords");
        return new MessageFlags(r.getBoolean("seen"), r.getBoolean("answered"), r.getBoolean("flagged"),
                r.getBoolean("deleted"), r.getBoolean("draft"), keywords == null ? List.of() : Arrays.asList(keywords));
    }

    private static List<MessageRow> flagRows(RowSet<Row> rows) {
        List<MessageRow> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new MessageRow(r.getLong("uid"), flags(r), null, 0, r.getLong("modseq"), null));
        }
        out.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return out;
    }

    static Long[] boxed(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
