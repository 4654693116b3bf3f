package org.mailroom.mailbox.imap.session;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.mailroom.mailbox.store.MessageRow;
import org.mailroom.mailbox.store.Messages;

/**
 * Reads the messages of a FETCH or a text SEARCH a few at a time, so that what the server holds
 * does not grow with the mailbox: {@link #ROWS} per query, and when whole bodies are read, only as
 * many as fit in {@link #BODY_BYTES} (their sizes are read first; a message larger than that is
 * read alone). Each group is handed on, and the next read starts when its work completed.
 */
final class ChunkedRows {

    static final int ROWS = 250;
    static final long BODY_BYTES = 4L * 1024 * 1024;

    private ChunkedRows() {
    }

    static Uni<Void> forEach(Messages messages, long mailboxId, long[] uids, Messages.Content content,
            Function<List<MessageRow>, Uni<Void>> work) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < uids.length; from += ROWS) {
            long[] chunk = Arrays.copyOfRange(uids, from, Math.min(uids.length, from + ROWS));
            if (content != Messages.Content.FULL) {
                chain = chain.chain(() -> messages.fetch(mailboxId, chunk, content)).chain(rows -> work.apply(rows));
            } else {
                chain = chain.chain(() -> messages.fetch(mailboxId, chunk, Messages.Content.NONE))
                        .chain(meta -> bySize(messages, mailboxId, meta, work));
            }
        }
        return chain;
    }

    private static Uni<Void> bySize(Messages messages, long mailboxId, List<MessageRow> meta,
            Function<List<MessageRow>, Uni<Void>> work) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (long[] group : groups(meta, BODY_BYTES)) {
            chain = chain.chain(() -> messages.fetch(mailboxId, group, Messages.Content.FULL)).chain(rows -> work.apply(rows));
        }
        return chain;
    }

    /** Consecutive UIDs whose sizes add up to at most {@code limit}; never an empty group. */
    static List<long[]> groups(List<MessageRow> meta, long limit) {
        List<long[]> out = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        long bytes = 0;
        for (MessageRow r : meta) {
            if (!current.isEmpty() && bytes + r.size() > limit) {
                out.add(current.stream().mapToLong(Long::longValue).toArray());
                current.clear();
                bytes = 0;
            }
            current.add(r.uid());
            bytes += r.size();
        }
        if (!current.isEmpty()) {
            out.add(current.stream().mapToLong(Long::longValue).toArray());
        }
        return out;
    }
}
