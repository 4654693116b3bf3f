package org.mailroom.mailbox.imap.parse;

import java.util.Locale;
import java.util.Optional;

/** status-att of RFC 3501 §6.3.10. */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN;

    static Optional<StatusItem> of(String atom) {
        try {
            return Optional.of(valueOf(atom.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
