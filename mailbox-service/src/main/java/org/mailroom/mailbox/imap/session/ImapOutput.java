package org.mailroom.mailbox.imap.session;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Where a session writes its responses (the connection's socket, or a test's buffer). Large
 * results (FETCH, SEARCH over a big mailbox) are written in chunks, waiting for {@link #ready()}
 * in between, so the server never holds more than a chunk for a slow reader.
 */
public interface ImapOutput {

    /** Writes response octets, each one or more complete CRLF-terminated lines. */
    void write(Buffer octets);

    /** Completes when the client has taken enough of what was written that more may follow. */
    Uni<Void> ready();
}
