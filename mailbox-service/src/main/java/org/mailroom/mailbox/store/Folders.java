package org.mailroom.mailbox.store;

import java.util.List;

/**
 * The mailboxes every account gets on first need: INBOX (RFC 3501 §5.1) and the RFC 6154
 * SPECIAL-USE roles a client looks for.
 */
public final class Folders {

    public static final String INBOX = "INBOX";

    /** One default mailbox and its SPECIAL-USE attribute (null for INBOX). */
    public record Folder(String name, String specialUse) {}

    public static final List<Folder> DEFAULTS = List.of(
            new Folder(INBOX, null),
            new Folder("Sent", "\\Sent"),
            new Folder("Drafts", "\\Drafts"),
            new Folder("Trash", "\\Trash"),
            new Folder("Junk", "\\Junk"));

    private Folders() {}
}
