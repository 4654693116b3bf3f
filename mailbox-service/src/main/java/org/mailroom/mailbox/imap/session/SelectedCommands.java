package org.mailroom.mailbox.imap.session;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mailroom.mailbox.imap.parse.ImapCommand;
import org.mailroom.mailbox.imap.parse.SearchKey;
import org.mailroom.mailbox.imap.parse.SequenceSet;
import org.mailroom.mailbox.store.MessageFlags;
import org.mailroom.mailbox.store.MessageRow;
import org.mailroom.mailbox.store.Messages;

/**
 * The selected state (RFC 3501 §6.4): FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE, CLOSE, and the
 * untagged updates that keep a session's view in step with the mailbox (§7.3.1 EXISTS, §7.4.1
 * EXPUNGE, §7.4.2 FETCH), including IDLE (RFC 2177).
 */
final class SelectedCommands {

    private final ImapSession session;
    private final Messages messages;
    private final ImapOutput out;
    private final FetchResponder fetch;
    /** Another session changed the mailbox since this one last looked. */
    private boolean dirty;
    private String idleTag;

    SelectedCommands(ImapSession session, Messages messages, ImapOutput out) {
        this.session = session;
        this.messages = messages;
        this.out = out;
        this.fetch = new FetchResponder(messages, out);
    }

    boolean idling() {
        return idleTag != null;
    }

    Uni<Action> handle(ImapCommand command) {
        SelectedMailbox box = session.selected();
        if (command instanceof ImapCommand.Check c) {
            return updates(false).chain(() -> session.ok(c.tag(), "CHECK completed"));
        } else if (command instanceof ImapCommand.Fetch c) {
            if (!c.uid() && !box.validSequence(c.set())) {
                return session.bad(c.tag(), "message sequence number out of range");
            }
            return fetch.fetch(box, box.resolve(c.set(), c.uid()), c.items(), c.uid())
                    .chain(() -> c.uid() ? updates(false) : Uni.createFrom().voidItem())
                    .chain(() -> session.ok(c.tag(), (c.uid() ? "UID " : "") + "FETCH completed"));
        } else if (command instanceof ImapCommand.Store c) {
            return store(box, c);
        } else if (command instanceof ImapCommand.Search c) {
            return search(box, c);
        } else if (command instanceof ImapCommand.Copy c) {
            return copy(box, c.tag(), c.uid(), c.set(), c.mailbox(), false);
        } else if (command instanceof ImapCommand.Move c) {
            return copy(box, c.tag(), c.uid(), c.set(), c.mailbox(), true);
        } else if (command instanceof ImapCommand.Expunge c) {
            return expunge(box, c.tag(), null, "EXPUNGE");
        } else if (command instanceof ImapCommand.UidExpunge c) {
            return expunge(box, c.tag(), box.resolve(c.uids(), true), "UID EXPUNGE");
        }
        return session.bad(command.tag(), "command not implemented");
    }

    /** CLOSE (RFC 3501 §6.4.2: expunges silently unless read-only) or UNSELECT (RFC 3691). */
    Uni<Action> close(String tag, boolean expunge) {
        SelectedMailbox box = session.selected();
        session.deselect();
        Uni<?> work = expunge && !box.readOnly() ? expungeAll(box, null, false) : Uni.createFrom().voidItem();
        // RFC 3501 §6.4.2: no untagged EXPUNGE responses for CLOSE
        return work.chain(() -> session.ok(tag, (expunge ? "CLOSE" : "UNSELECT") + " completed"));
    }

    /** Messages whose flags one statement changes. */
    public static final int STORE_CHUNK = 2000;

    private Uni<Action> store(SelectedMailbox box, ImapCommand.Store c) {
        if (!c.uid() && !box.validSequence(c.set())) {
            return session.bad(c.tag(), "message sequence number out of range");
        }
        if (box.readOnly()) {
            return session.no(c.tag(), "[READ-ONLY] mailbox is read-only");
        }
        Messages.Mode mode = switch (c.mode()) {
            case REPLACE -> Messages.Mode.REPLACE;
            case ADD -> Messages.Mode.ADD;
            case REMOVE -> Messages.Mode.REMOVE;
        };
        long[] uids = box.resolve(c.set(), c.uid());
        MessageFlags flags = MessageFlags.of(c.flags());
        // In groups of STORE_CHUNK messages, each its own statement (and modseq), each group's
        // responses taken by the client before the next: STORE 1:* on 730,000 messages ran out of heap.
        int chunks = (uids.length + STORE_CHUNK - 1) / STORE_CHUNK;
        return ChunkedRows.inTurn(chunks, i -> {
            long[] chunk = Arrays.copyOfRange(uids, i * STORE_CHUNK, Math.min(uids.length, (i + 1) * STORE_CHUNK));
            return messages.store(box.id(), chunk, mode, flags).chain(rows -> {
                if (!rows.isEmpty()) {
                    box.absorb(rows.get(0).modseq());
                }
                if (c.silent() || rows.isEmpty()) { // RFC 3501 §6.4.6: the new flags of each message, unless .SILENT
                    return Uni.createFrom().voidItem();
                }
                Buffer b = Buffer.buffer();
                for (MessageRow r : rows) {
                    int seq = box.seq(r.uid());
                    if (seq > 0) {
                        b.appendString("* " + seq + " FETCH (" + (c.uid() ? "UID " + r.uid() + " " : "") + "FLAGS "
                                + r.flags().render(box.recent(r.uid())) + ")\r\n");
                    }
                }
                out.write(b);
                return out.ready();
            });
        }).chain(() -> c.uid() ? updates(false) : Uni.createFrom().voidItem())
                .chain(() -> session.ok(c.tag(), (c.uid() ? "UID " : "") + "STORE completed"));
    }

    private Uni<Action> search(SelectedMailbox box, ImapCommand.Search c) {
        if (!validSequences(box, c.key())) { // RFC 3501 §9 seq-number, as for FETCH and STORE
            return session.bad(c.tag(), "message sequence number out of range");
        }
        SearchPlan plan = new SearchPlan(box);
        Optional<SearchPlan.Sql> sql = plan.sql(c.key());
        Uni<long[]> found;
        if (sql.isPresent()) {
            found = messages.search(box.id(), sql.get().condition(), sql.get().params());
        } else {
            found = searchInJava(box, plan, c.key());
        }
        return found.chain(uids -> {
            StringBuilder b = new StringBuilder("* SEARCH");
            for (long uid : uids) {
                int seq = box.seq(uid); // messages not yet announced to this session are left out
                if (seq > 0) {
                    b.append(' ').append(c.uid() ? uid : seq);
                }
            }
            out.write(Wire.line(b.toString()));
            return (c.uid() ? updates(false) : Uni.createFrom().voidItem())
                    .chain(() -> session.ok(c.tag(), (c.uid() ? "UID " : "") + "SEARCH completed"));
        });
    }

    private static boolean validSequences(SelectedMailbox box, SearchKey key) {
        if (key instanceof SearchKey.Sequence s) {
            return box.validSequence(s.set());
        } else if (key instanceof SearchKey.Not n) {
            return validSequences(box, n.key());
        } else if (key instanceof SearchKey.Or o) {
            return validSequences(box, o.left()) && validSequences(box, o.right());
        } else if (key instanceof SearchKey.And a) {
            return a.keys().stream().allMatch(k -> validSequences(box, k));
        }
        return true;
    }

    /** Reads the mailbox in chunks with as much of each message as the key needs. */
    private Uni<long[]> searchInJava(SelectedMailbox box, SearchPlan plan, SearchKey key) {
        Messages.Content content = SearchPlan.needs(key);
        long[] all = box.resolve(SequenceSet.of(1, SequenceSet.STAR), false);
        long[] hits = new long[all.length];
        int[] n = {0};
        return ChunkedRows.forEach(messages, box.id(), all, content, rows -> {
            for (MessageRow r : rows) {
                if (plan.matches(key, r)) {
                    hits[n[0]++] = r.uid();
                }
            }
            return Uni.createFrom().voidItem();
        }).map(v -> Arrays.copyOf(hits, n[0]));
    }

    /** COPY (RFC 3501 §6.4.7) and MOVE (RFC 6851), answering COPYUID (RFC 4315 §3). */
    private Uni<Action> copy(SelectedMailbox box, String tag, boolean byUid, SequenceSet set, String wireTarget, boolean move) {
        String verb = (byUid ? "UID " : "") + (move ? "MOVE" : "COPY");
        if (!byUid && !box.validSequence(set)) {
            return session.bad(tag, "message sequence number out of range");
        }
        if (move && box.readOnly()) {
            return session.no(tag, "[READ-ONLY] mailbox is read-only");
        }
        Optional<String> target = ImapSession.decodeName(wireTarget);
        if (target.isEmpty()) {
            return session.no(tag, "[TRYCREATE] no such mailbox");
        }
        long[] uids = box.resolve(set, byUid);
        return messages.copy(session.account(), box.id(), uids, target.get(), move).chain(result -> {
            if (result.isEmpty()) {
                return session.no(tag, "[TRYCREATE] no such mailbox");
            }
            Messages.Copied copied = result.get();
            String code = copied.sourceUids().length == 0 ? ""
                    : "[COPYUID " + copied.uidValidity() + " " + Wire.uidSet(copied.sourceUids()) + " "
                            + Wire.uidSet(copied.targetUids()) + "] ";
            if (!move) {
                Uni<Void> own = target.get().equals(box.name()) ? updates(true) : Uni.createFrom().voidItem();
                return own.chain(() -> session.ok(tag, code + verb + " completed"));
            }
            // RFC 6851 §4.3: COPYUID in an untagged OK before the EXPUNGE responses.
            if (!code.isEmpty()) {
                out.write(Wire.line("* OK " + code + "moved"));
            }
            if (copied.sourceModseq() > 0) {
                box.absorb(copied.sourceModseq());
            }
            return announceExpunged(box, copied.sourceUids())
                    .chain(() -> target.get().equals(box.name()) ? updates(true) : Uni.createFrom().voidItem())
                    .chain(() -> session.ok(tag, verb + " completed"));
        });
    }

    private Uni<Action> expunge(SelectedMailbox box, String tag, long[] uids, String verb) {
        if (box.readOnly()) {
            return session.no(tag, "[READ-ONLY] mailbox is read-only");
        }
        if (uids != null && uids.length == 0) {
            return session.ok(tag, verb + " completed");
        }
        return expungeAll(box, uids, true).chain(() -> updates(false)).chain(() -> session.ok(tag, verb + " completed"));
    }

    /** Messages one EXPUNGE statement removes. */
    public static final int EXPUNGE_CHUNK = 2000;

    /**
     * Expunges the \Deleted messages (among {@code uids} when given) {@link #EXPUNGE_CHUNK} at a
     * time, telling the client of each group ({@code tell}) and waiting until it took them.
     */
    private Uni<Void> expungeAll(SelectedMailbox box, long[] uids, boolean tell) {
        return Multi.createBy().repeating().uni(() -> messages.expunge(box.id(), uids, EXPUNGE_CHUNK).chain(gone -> {
            // until none come back: a group cut short by another session's expunge is not the end
            boolean more = gone.uids().length > 0;
            if (!tell) {
                return Uni.createFrom().item(more);
            }
            if (gone.modseq() > 0) {
                box.absorb(gone.modseq());
            }
            return announceExpunged(box, gone.uids()).replaceWith(more);
        })).whilst(Boolean::booleanValue).onItem().ignoreAsUni();
    }

    /**
     * Writes {@code * n EXPUNGE} for each known UID, ascending, each number as it is at that moment,
     * {@link #EXPUNGE_CHUNK} lines at a time, each group taken by the client before the next.
     */
    private Uni<Void> announceExpunged(SelectedMailbox box, long[] uids) {
        int groups = (uids.length + EXPUNGE_CHUNK - 1) / EXPUNGE_CHUNK;
        return ChunkedRows.inTurn(groups, g -> {
            Buffer b = Buffer.buffer();
            for (int i = g * EXPUNGE_CHUNK; i < Math.min(uids.length, (g + 1) * EXPUNGE_CHUNK); i++) {
                int seq = box.expunge(uids[i]);
                if (seq > 0) {
                    b.appendString("* " + seq + " EXPUNGE\r\n");
                }
            }
            if (b.length() == 0) {
                return Uni.createFrom().voidItem();
            }
            out.write(b);
            return out.ready();
        });
    }

    // ---- untagged updates and IDLE -------------------------------------------------------------------

    /**
     * A change may have been announced between a SELECT's read and its watch starting: the next
     * NOOP, IDLE or UID command looks once.
     */
    void lookOnce() {
        dirty = true;
    }

    /** Notified by MailboxEvents (on the connection's context). */
    Uni<Action> changed() {
        dirty = true;
        if (idleTag != null && session.selected() != null) {
            return updates(true).replaceWith(Action.IDLE);
        }
        return Uni.createFrom().item(idleTag != null ? Action.IDLE : Action.NONE);
    }

    /**
     * Tells the client what changed since it last looked: expunges, new messages (EXISTS, RECENT) and
     * flag changes. The database is asked only when a change notification came since the last look
     * (MailboxEvents; after a lost LISTEN connection every session is told to look), or with
     * {@code always}: after one's own APPEND or COPY into the selected mailbox, whose notification
     * may still be on its way. So a NOOP or an IDLE in a quiet mailbox costs no query.
     */
    Uni<Void> updates(boolean always) {
        SelectedMailbox box = session.selected();
        if (box == null || (!always && !dirty)) {
            return Uni.createFrom().voidItem();
        }
        dirty = false;
        // New messages first, in UID order (EXISTS must count them as they come, RFC 3501 §7.3.1);
        // then expunges and flag changes of the messages known before, in (modseq, uid) order.
        long knownMax = box.maxUid();
        long[] cursor = {box.knownModseq(), Long.MAX_VALUE}; // (modseq, uid): after everything of knownModseq
        return Multi.createBy().repeating().uni(() -> newMessagesPage(box)).whilst(Boolean::booleanValue)
                .onItem().ignoreAsUni()
                .chain(() -> Multi.createBy().repeating().uni(() -> changesPage(box, cursor, knownMax))
                        .whilst(Boolean::booleanValue).onItem().ignoreAsUni());
    }

    /** Rows of changes read and told per page: what one session holds at a time. */
    public static final int CHANGES_PAGE = 2000;

    /**
     * Reads the next messages above the highest UID the session knows, claims them as recent
     * (RFC 3501 §2.3.2: for a read-write session, those no session claimed before; read-only: those
     * still unclaimed, claiming nothing), tells EXISTS and RECENT, and waits until the client took
     * it; answers whether more may follow.
     */
    private Uni<Boolean> newMessagesPage(SelectedMailbox box) {
        return messages.newMessages(box.id(), box.maxUid(), CHANGES_PAGE).chain(page -> {
            long[] uids = page.uids();
            if (uids.length == 0 || session.selected() != box) {
                return Uni.createFrom().item(false);
            }
            long newest = uids[uids.length - 1];
            long from = Math.max(page.firstRecentUid(), box.maxUid() + 1);
            Uni<Void> claimed;
            if (from > newest) {
                claimed = Uni.createFrom().voidItem(); // another session claimed them all
            } else if (box.readOnly()) {
                box.addRecent(from, newest + 1);
                claimed = Uni.createFrom().voidItem();
            } else {
                long above = box.maxUid() + 1;
                claimed = messages.claimRecent(box.id(), newest + 1)
                        .invoke(first -> box.addRecent(Math.max(first, above), newest + 1)).replaceWithVoid();
            }
            return claimed.chain(() -> {
                if (session.selected() != box) {
                    return Uni.createFrom().item(false);
                }
                int recent = 0;
                for (long uid : uids) {
                    box.add(uid);
                    if (box.recent(uid)) {
                        recent++;
                    }
                }
                StringBuilder b = new StringBuilder("* ").append(box.count()).append(" EXISTS\r\n");
                if (recent > 0) {
                    b.append("* ").append(box.recentCount()).append(" RECENT\r\n");
                }
                out.write(Buffer.buffer(b.toString()));
                return out.ready().replaceWith(uids.length == CHANGES_PAGE);
            });
        });
    }

    /**
     * Reads one page of changes after {@code cursor} to the messages known up to {@code knownMax}
     * (expunges of any), tells them, and waits until the client took them; answers whether another
     * page follows. The last page sets what the session knows to the mailbox's highest modseq.
     */
    private Uni<Boolean> changesPage(SelectedMailbox box, long[] cursor, long knownMax) {
        return messages.changes(box.id(), cursor[0], cursor[1], knownMax, CHANGES_PAGE).chain(changes -> {
            if (session.selected() != box) {
                return Uni.createFrom().item(false);
            }
            Buffer b = Buffer.buffer();
            for (long uid : changes.expunged()) {
                int seq = box.expunge(uid);
                if (seq > 0) {
                    b.appendString("* " + seq + " EXPUNGE\r\n");
                }
            }
            for (MessageRow r : changes.changed()) {
                int seq = box.seq(r.uid());
                if (seq > 0) {
                    b.appendString("* " + seq + " FETCH (UID " + r.uid() + " FLAGS " + r.flags().render(box.recent(r.uid()))
                            + ")\r\n");
                }
            }
            if (changes.more()) {
                cursor[0] = changes.lastModseq();
                cursor[1] = changes.lastUid();
            } else {
                box.knownModseq(changes.highestModseq());
            }
            if (b.length() == 0) {
                return Uni.createFrom().item(changes.more());
            }
            out.write(b);
            return out.ready().replaceWith(changes.more());
        });
    }

    /** IDLE (RFC 2177 §3): a continuation, then updates as they happen until DONE. */
    Uni<Action> idle(String tag) {
        idleTag = tag;
        out.write(Wire.line("+ idling"));
        return updates(false).replaceWith(Action.IDLE);
    }

    Uni<Action> done() {
        if (idleTag == null) {
            return session.bad(null, "DONE without IDLE");
        }
        String tag = idleTag;
        idleTag = null;
        return session.ok(tag, "IDLE terminated");
    }
}
