package org.mailroom.mailbox.imap.parse;

import java.util.Locale;

/** System flags of RFC 3501 §2.3.2, spelled canonically. */
public final class Flags {

    public static final String ANSWERED = "\\Answered";
    public static final String FLAGGED = "\\Flagged";
    public static final String DELETED = "\\Deleted";
    public static final String SEEN = "\\Seen";
    public static final String DRAFT = "\\Draft";

    private Flags() {
    }

    /**
     * The canonical spelling of system flag {@code \name} (case-insensitive), or null. Only the five
     * storable flags: {@code \Recent} is session state and a {@code flag-extension} other than these
     * is not defined by any standard we support.
     */
    static String canonicalSystemFlag(String name) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case "ANSWERED": return ANSWERED;
            case "FLAGGED": return FLAGGED;
            case "DELETED": return DELETED;
            case "SEEN": return SEEN;
            case "DRAFT": return DRAFT;
            default: return null;
        }
    }
}
