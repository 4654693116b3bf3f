package org.mailroom.mailbox.store;

import java.time.OffsetDateTime;

/**
 * One message of a mailbox; {@code content} holds what the query asked for: nothing (null), the
 * header section, or the whole message.
 */
public record MessageRow(long uid, MessageFlags flags, OffsetDateTime internalDate, long size, long modseq,
                         byte[] content) {

    public MessageRow withFlags(MessageFlags f) {
        return new MessageRow(uid, f, internalDate, size, modseq, content);
    }
}
