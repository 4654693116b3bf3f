package org.mailroom.mailbox.imap.parse;

import java.time.LocalDate;
import java.util.List;

/** A SEARCH criterion, RFC 3501 §6.4.4. Strings are decoded with the command's CHARSET. */
public sealed interface SearchKey {

    /** Keys without arguments. NEW is RECENT UNSEEN and OLD is NOT RECENT (RFC 3501 §6.4.4). */
    enum Flag { ALL, ANSWERED, DELETED, DRAFT, FLAGGED, NEW, OLD, RECENT, SEEN,
        UNANSWERED, UNDELETED, UNDRAFT, UNFLAGGED, UNSEEN }

    record Simple(Flag flag) implements SearchKey { }

    /** KEYWORD / UNKEYWORD flag-keyword; {@code set} is false for UNKEYWORD. */
    record Keyword(String keyword, boolean set) implements SearchKey { }

    /** Which date a date key compares: the internal date or the Date: header (SENT*). */
    enum DateField { INTERNAL, SENT }

    enum DateOp { BEFORE, ON, SINCE }

    /** BEFORE/ON/SINCE and SENTBEFORE/SENTON/SENTSINCE; dates compare without time or zone. */
    record DateKey(DateField field, DateOp op, LocalDate date) implements SearchKey { }

    /** LARGER n (larger=true) / SMALLER n, on RFC822.SIZE. */
    record Size(boolean larger, long octets) implements SearchKey { }

    enum TextField { BCC, BODY, CC, FROM, SUBJECT, TEXT, TO }

    /** A case-insensitive substring search in a field (RFC 3501 §6.4.4). */
    record Text(TextField field, String value) implements SearchKey { }

    /** HEADER field-name string; an empty string matches every message with the field. */
    record Header(String field, String value) implements SearchKey { }

    /** sequence-set of message sequence numbers. */
    record Sequence(SequenceSet set) implements SearchKey { }

    /** UID sequence-set. */
    record Uid(SequenceSet set) implements SearchKey { }

    record Not(SearchKey key) implements SearchKey { }

    record Or(SearchKey left, SearchKey right) implements SearchKey { }

    /** All of the keys: the top level of a SEARCH and a parenthesised group. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }
}
