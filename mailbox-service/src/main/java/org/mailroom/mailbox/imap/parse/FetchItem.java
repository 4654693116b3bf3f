package org.mailroom.mailbox.imap.parse;

import java.util.List;
import java.util.Optional;

/** A fetch-att of RFC 3501 §6.4.5 / §9. */
public sealed interface FetchItem {

    /** Attributes without a section. {@code BODY} alone is the non-extensible BODYSTRUCTURE. */
    enum Attribute { ENVELOPE, FLAGS, INTERNALDATE, RFC822_SIZE, BODY, BODYSTRUCTURE, UID,
        RFC822, RFC822_HEADER, RFC822_TEXT }

    record Simple(Attribute attribute) implements FetchItem { }

    /**
     * BODY[section]&lt;partial&gt; or BODY.PEEK[...]; {@code peek} is true for BODY.PEEK, which does not
     * set {@code \Seen} (RFC 3501 §6.4.5).
     */
    record BodySection(boolean peek, Section section, Optional<Partial> partial) implements FetchItem { }

    /** The section text after the part numbers, if any. MIME needs part numbers. */
    enum SectionText { NONE, HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }

    /**
     * section-spec: part numbers (empty for the whole message, e.g. {@code 1.2.3}), a section text
     * and, for HEADER.FIELDS[.NOT], the field names as sent (compare them case-insensitively; echo them as sent).
     */
    record Section(List<Integer> part, SectionText text, List<String> fields) {
        public Section {
            part = List.copyOf(part);
            fields = List.copyOf(fields);
        }

        public static final Section WHOLE = new Section(List.of(), SectionText.NONE, List.of());
    }

    /** {@code <offset.count>}: count octets from offset (RFC 3501 §6.4.5). */
    record Partial(long offset, long count) { }
}
