package org.mailroom.mailbox.imap.session;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.mailroom.mailbox.imap.parse.FetchItem;
import org.mailroom.mailbox.imap.response.BodyStructureEncoder;
import org.mailroom.mailbox.imap.response.EnvelopeEncoder;
import org.mailroom.mailbox.imap.response.SectionExtractor;
import org.mailroom.mailbox.store.MessageFlags;
import org.mailroom.mailbox.store.MessageRow;
import org.mailroom.mailbox.store.Messages;

/**
 * Answers FETCH (RFC 3501 §6.4.5, §7.4.2) in chunks ({@link ChunkedRows}):
 * one query per chunk reading only as much of each body as the items need, the responses written,
 * then the next chunk once the client has taken them. A non-PEEK body section sets {@code \Seen}
 * (unless the mailbox is read-only) and the new flags are sent with it.
 */
final class FetchResponder {

    private final Messages messages;
    private final ImapOutput out;

    FetchResponder(Messages messages, ImapOutput out) {
        this.messages = messages;
        this.out = out;
    }

    Uni<Void> fetch(SelectedMailbox box, long[] uids, List<FetchItem> requested, boolean byUid) {
        List<FetchItem> items = new ArrayList<>(requested);
        if (byUid && !items.contains(new FetchItem.Simple(FetchItem.Attribute.UID))) {
            items.add(0, new FetchItem.Simple(FetchItem.Attribute.UID)); // RFC 3501 §6.4.8
        }
        Messages.Content content = content(items);
        boolean setsSeen = !box.readOnly() && items.stream().anyMatch(FetchResponder::setsSeen);
        return ChunkedRows.forEach(messages, box.id(), uids, content, rows -> (setsSeen ? markSeen(box, rows)
                        : Uni.createFrom().item(new Marked(rows, Set.of())))
                .invoke(marked -> {
                    // sized for the bodies it will hold: a 25 MiB literal appended to a buffer that
                    // doubles as it grows was copied five times over (an OutOfMemoryError at 192 MiB)
                    long bodies = 0;
                    for (MessageRow row : marked.rows) {
                        bodies += row.content() == null ? 0 : row.content().length;
                    }
                    Buffer b = Buffer.buffer((int) Math.min(Integer.MAX_VALUE - 8,
                            marked.rows.size() * 256L + bodies + bodies / 16));
                    for (MessageRow row : marked.rows) {
                        int seq = box.seq(row.uid());
                        if (seq > 0) {
                            respond(b, box, seq, row, items, marked.seenNow.contains(row.uid()));
                        }
                    }
                    out.write(b);
                })
                .chain(out::ready));
    }

    private record Marked(List<MessageRow> rows, Set<Long> seenNow) {}

    private Uni<Marked> markSeen(SelectedMailbox box, List<MessageRow> rows) {
        long[] unseen = rows.stream().filter(r -> !r.flags().seen()).mapToLong(MessageRow::uid).toArray();
        if (unseen.length == 0) {
            return Uni.createFrom().item(new Marked(rows, Set.of()));
        }
        return messages.store(box.id(), unseen, Messages.Mode.ADD,
                        new MessageFlags(true, false, false, false, false, List.of()))
                .map(updated -> {
                    if (!updated.isEmpty()) {
                        box.absorb(updated.get(0).modseq());
                    }
                    Set<Long> changed = updated.stream().map(MessageRow::uid).collect(Collectors.toCollection(TreeSet::new));
                    List<MessageRow> out = new ArrayList<>(rows.size());
                    for (MessageRow r : rows) {
                        MessageFlags f = r.flags();
                        out.add(changed.contains(r.uid())
                                ? r.withFlags(new MessageFlags(true, f.answered(), f.flagged(), f.deleted(), f.draft(), f.keywords()))
                                : r);
                    }
                    return new Marked(out, changed);
                });
    }

    static boolean setsSeen(FetchItem item) {
        if (item instanceof FetchItem.BodySection s) {
            return !s.peek();
        }
        if (item instanceof FetchItem.Simple s) {
            return s.attribute() == FetchItem.Attribute.RFC822 || s.attribute() == FetchItem.Attribute.RFC822_TEXT;
        }
        return false;
    }

    /** What of the body the items need: the header alone when that is enough. */
    static Messages.Content content(List<FetchItem> items) {
        Messages.Content need = Messages.Content.NONE;
        for (FetchItem item : items) {
            Messages.Content c = Messages.Content.NONE;
            if (item instanceof FetchItem.Simple s) {
                c = switch (s.attribute()) {
                    case ENVELOPE, RFC822_HEADER -> Messages.Content.HEADER;
                    case BODY, BODYSTRUCTURE, RFC822, RFC822_TEXT -> Messages.Content.FULL;
                    default -> Messages.Content.NONE;
                };
            } else if (item instanceof FetchItem.BodySection s) {
                FetchItem.Section sec = s.section();
                boolean headerOnly = sec.part().isEmpty() && (sec.text() == FetchItem.SectionText.HEADER
                        || sec.text() == FetchItem.SectionText.HEADER_FIELDS
                        || sec.text() == FetchItem.SectionText.HEADER_FIELDS_NOT);
                c = headerOnly ? Messages.Content.HEADER : Messages.Content.FULL;
            }
            if (c.ordinal() > need.ordinal()) {
                need = c;
            }
        }
        return need;
    }

    private static void respond(Buffer b, SelectedMailbox box, int seq, MessageRow row, List<FetchItem> items,
            boolean seenNow) {
        b.appendString("* " + seq + " FETCH (");
        boolean first = true;
        boolean flagsSent = false;
        for (FetchItem item : items) {
            if (!first) {
                b.appendByte((byte) ' ');
            }
            first = false;
            if (item instanceof FetchItem.Simple s) {
                switch (s.attribute()) {
                    case UID -> b.appendString("UID " + row.uid());
                    case FLAGS -> {
                        b.appendString("FLAGS " + row.flags().render(box.recent(row.uid())));
                        flagsSent = true;
                    }
                    case INTERNALDATE -> b.appendString("INTERNALDATE " + Wire.dateTime(row.internalDate()));
                    case RFC822_SIZE -> b.appendString("RFC822.SIZE " + row.size());
                    case ENVELOPE -> {
                        b.appendString("ENVELOPE ");
                        EnvelopeEncoder.encode(b, row.content());
                    }
                    case BODY -> {
                        b.appendString("BODY ");
                        BodyStructureEncoder.encode(b, row.content(), false);
                    }
                    case BODYSTRUCTURE -> {
                        b.appendString("BODYSTRUCTURE ");
                        BodyStructureEncoder.encode(b, row.content(), true);
                    }
                    case RFC822 -> section(b, "RFC822", row.content(), FetchItem.Section.WHOLE, null);
                    case RFC822_HEADER -> section(b, "RFC822.HEADER", row.content(),
                            new FetchItem.Section(List.of(), FetchItem.SectionText.HEADER, List.of()), null);
                    case RFC822_TEXT -> section(b, "RFC822.TEXT", row.content(),
                            new FetchItem.Section(List.of(), FetchItem.SectionText.TEXT, List.of()), null);
                }
            } else if (item instanceof FetchItem.BodySection s) {
                String name = "BODY[" + sectionName(s.section()) + "]"
                        + s.partial().map(p -> "<" + p.offset() + ">").orElse("");
                section(b, name, row.content(), s.section(), s.partial().orElse(null));
            }
        }
        if (seenNow && !flagsSent) { // RFC 3501 §6.4.5: the \Seen change is told with the body
            b.appendString(" FLAGS " + row.flags().render(box.recent(row.uid())));
        }
        b.appendString(")\r\n");
    }

    private static void section(Buffer b, String name, byte[] message, FetchItem.Section section,
            FetchItem.Partial partial) {
        SectionExtractor.Result r = SectionExtractor.extract(message, section);
        if (partial != null) {
            r = r.partial(partial.offset(), partial.count());
        }
        b.appendString(name + " {" + r.length() + "}\r\n");
        r.appendTo(b, message);
    }

    /** section-spec as the client wrote it, for the response (RFC 3501 §7.4.2). */
    static String sectionName(FetchItem.Section s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.part().size(); i++) {
            if (i > 0) {
                b.append('.');
            }
            b.append(s.part().get(i));
        }
        String text = switch (s.text()) {
            case NONE -> "";
            case HEADER -> "HEADER";
            case HEADER_FIELDS -> "HEADER.FIELDS";
            case HEADER_FIELDS_NOT -> "HEADER.FIELDS.NOT";
            case TEXT -> "TEXT";
            case MIME -> "MIME";
        };
        if (!text.isEmpty()) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(text);
        }
        if (!s.fields().isEmpty()) {
            b.append(" (").append(String.join(" ", s.fields())).append(')');
        }
        return b.toString();
    }
}
