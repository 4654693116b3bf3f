package org.mailroom.mailbox.imap.session;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.mailroom.mailbox.store.BodyMemory;
import org.mailroom.mailbox.store.MessageRow;
import org.mailroom.mailbox.store.Messages;

/**
 * Reads the messages of a FETCH or a text SEARCH a few at a time, so that what the server holds
 * does not grow with the mailbox: {@link #ROWS} per query, and when whole bodies are read, only as
 * many as fit in {@link #BODY_BYTES} (the database stops adding bodies past it; a message larger
 * than that is read alone), under a share of the instance's {@link BodyMemory}. Header sections
 * likewise, {@link #HEADER_BYTES} at a time: a header is usually a few KiB, but a message without
 * an empty line is all header. Each group is handed on, and the next read starts when its work
 * completed.
 */
final class ChunkedRows {

    static final int ROWS = 250;
    static final long BODY_BYTES = 4L * 1024 * 1024;
    static final long HEADER_BYTES = 1024L * 1024;
    /** Copies of a body held while it is served: as read, as cut into sections, as encoded. */
    static final long HELD_PER_OCTET = 3;

    private ChunkedRows() {
    }

    static Uni<Void> forEach(Messages messages, long mailboxId, long[] uids, Messages.Content content,
            Function<List<MessageRow>, Uni<Void>> work) {
        int chunks = (uids.length + ROWS - 1) / ROWS;
        return inTurn(chunks, i -> {
            long[] chunk = Arrays.copyOfRange(uids, i * ROWS, Math.min(uids.length, (i + 1) * ROWS));
            if (content == Messages.Content.NONE) {
                return messages.fetch(mailboxId, chunk, content).chain(rows -> work.apply(rows));
            }
            long limit = content == Messages.Content.FULL ? BODY_BYTES : HEADER_BYTES;
            return bounded(messages, mailboxId, chunk, content, limit, work);
        });
    }

    /**
     * Runs {@code step} for 0 … count − 1, each after the previous completed. A Multi, not a chain
     * of Unis: a chain of 3,000 steps (FETCH 1:* of 730,000 messages) overflowed the stack when
     * subscribed.
     */
    static Uni<Void> inTurn(int count, IntFunction<Uni<Void>> step) {
        if (count == 0) {
            return Uni.createFrom().voidItem();
        }
        if (count == 1) { // the common case (a few messages): no stream machinery per command
            return step.apply(0);
        }
        return Multi.createFrom().range(0, count).onItem().transformToUniAndConcatenate(step::apply)
                .onItem().ignoreAsUni();
    }

    /**
     * Whole bodies or header sections, at most {@code limit} octets at a time (one message alone
     * when it is larger), each group under a share of the instance's {@link BodyMemory}:
     * {@link #HELD_PER_OCTET} times its size (the content read, its sections cut, the response
     * encoded), given back once the client has taken the responses.
     */
    private static Uni<Void> bounded(Messages messages, long mailboxId, long[] uids, Messages.Content content, long limit,
            Function<List<MessageRow>, Uni<Void>> work) {
        BodyMemory memory = messages.bodyMemory();
        return memory.reserve(HELD_PER_OCTET * limit).chain(share -> messages.fetchBounded(mailboxId, uids, content, limit)
                .chain(rows -> {
                    List<MessageRow> read = new ArrayList<>(rows.size());
                    List<Long> rest = new ArrayList<>();
                    for (MessageRow r : rows) {
                        if (r.content() != null) {
                            read.add(r);
                        } else {
                            rest.add(r.uid());
                        }
                    }
                    if (read.isEmpty() && !rows.isEmpty()) { // the first alone is larger than the limit
                        share.release();
                        MessageRow big = rows.get(0);
                        long[] after = rest.stream().skip(1).mapToLong(Long::longValue).toArray();
                        return memory.reserve(HELD_PER_OCTET * big.size())
                                .chain(alone -> messages.fetch(mailboxId, new long[] {big.uid()}, content)
                                        .chain(r -> work.apply(r)).eventually(alone::release))
                                .chain(() -> after.length == 0 ? Uni.createFrom().voidItem()
                                        : bounded(messages, mailboxId, after, content, limit, work));
                    }
                    long[] next = rest.stream().mapToLong(Long::longValue).toArray();
                    return work.apply(read).eventually(share::release)
                            .chain(() -> next.length == 0 ? Uni.createFrom().voidItem() : bounded(messages, mailboxId, next, content, limit, work));
                })
                .eventually(share::release));
    }
}
