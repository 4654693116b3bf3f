package org.mailroom.mailbox.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A message's flags as stored: the five system flags of RFC 3501 §2.3.2 that persist, and keywords.
 * {@code \Recent} is not stored: it belongs to a session.
 */
public record MessageFlags(boolean seen, boolean answered, boolean flagged, boolean deleted, boolean draft,
                           List<String> keywords) {

    public static final MessageFlags NONE = new MessageFlags(false, false, false, false, false, List.of());

    public MessageFlags {
        keywords = List.copyOf(keywords);
    }

    /**
     * Flags from their IMAP names; system flags match case-insensitively, {@code \Recent} and other
     * unknown backslash names are ignored (RFC 3501 §2.3.2: they cannot be set by a client).
     */
    public static MessageFlags of(List<String> names) {
        boolean seen = false;
        boolean answered = false;
        boolean flagged = false;
        boolean deleted = false;
        boolean draft = false;
        Set<String> seenKeywords = new java.util.HashSet<>();
        List<String> keywords = new ArrayList<>();
        for (String n : names) {
            switch (n.toLowerCase(Locale.ROOT)) {
                case "\\seen" -> seen = true;
                case "\\answered" -> answered = true;
                case "\\flagged" -> flagged = true;
                case "\\deleted" -> deleted = true;
                case "\\draft" -> draft = true;
                default -> {
                    if (!n.startsWith("\\") && seenKeywords.add(n.toLowerCase(Locale.ROOT))) {
                        keywords.add(n); // keywords are case-insensitive: the first spelling counts
                    }
                }
            }
        }
        return new MessageFlags(seen, answered, flagged, deleted, draft, keywords);
    }

    /** Whether the message has this keyword, compared case-insensitively (as IMAP flags are). */
    public boolean hasKeyword(String keyword) {
        for (String k : keywords) {
            if (k.equalsIgnoreCase(keyword)) {
                return true;
            }
        }
        return false;
    }

    /** The flag list as IMAP writes it, with {@code \Recent} when the session sees it so. */
    public String render(boolean recent) {
        StringBuilder b = new StringBuilder("(");
        if (seen) {
            b.append("\\Seen ");
        }
        if (answered) {
            b.append("\\Answered ");
        }
        if (flagged) {
            b.append("\\Flagged ");
        }
        if (deleted) {
            b.append("\\Deleted ");
        }
        if (draft) {
            b.append("\\Draft ");
        }
        if (recent) {
            b.append("\\Recent ");
        }
        for (String k : keywords) {
            b.append(k).append(' ');
        }
        if (b.length() > 1) {
            b.setLength(b.length() - 1);
        }
        return b.append(')').toString();
    }
}
