package org.mailroom.mailbox.pop3.session;

import java.util.List;

/**
 * The INBOX as a POP3 session sees it, fixed at login (RFC 1939 §5: message numbers stay valid for
 * the session). An account without an INBOX yet has an empty maildrop ({@code mailboxId} 0).
 */
public record Maildrop(String account, long mailboxId, long uidValidity, List<Entry> entries) {

    public Maildrop {
        entries = List.copyOf(entries);
    }

    /** One message: its UID in INBOX, size in octets and the blob that holds it. */
    public record Entry(long uid, long size, byte[] sha256) {}

    /**
     * RFC 1939 §7 UIDL: unique per maildrop and stable across sessions. UIDVALIDITY and UID
     * together never name another message (RFC 3501 §2.3.1.1), and use only digits and ".".
     */
    public String uniqueId(Entry e) {
        return uidValidity + "." + e.uid();
    }
}
