package org.mailroom.mailbox.imap.response;

import io.vertx.core.buffer.Buffer;
import org.mailroom.mailbox.imap.parse.FetchItem;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The octets of a BODY[section] (RFC 3501 §6.4.5).
 *
 * <ul>
 *   <li>No part number: NONE is the whole message, HEADER its header (with the blank line), TEXT
 *       its body, HEADER.FIELDS[.NOT] the chosen fields of its header.</li>
 *   <li>Part numbers: "Every message has at least one part number. Non-[MIME-IMB] messages, and
 *       non-multipart [MIME-IMB] messages with no encapsulated message, only have a part 1."
 *       Part n of a multipart is its n-th part; the parts of a MESSAGE/RFC822 part are those of
 *       the encapsulated message (its part 1 being its body when it is not multipart).</li>
 *   <li>After part numbers: NONE is the part's body as stored, MIME its MIME header; HEADER, TEXT
 *       and HEADER.FIELDS[.NOT] refer to the encapsulated message of a MESSAGE/RFC822 part. On a
 *       part of another type (which the RFC does not define) they are taken leniently on the
 *       part itself, as Dovecot does.</li>
 *   <li>A part that does not exist yields the empty string, not an error: RFC 3501 does not say
 *       what to answer, and Dovecot likewise returns an empty part ("MIME part not found").</li>
 *   <li>HEADER.FIELDS keeps the matching fields (names compared case-insensitively), in message
 *       order, raw (folded as stored), and ends with a blank line: "The subset returned by
 *       HEADER.FIELDS and HEADER.FIELDS.NOT contains only those header fields with a field-name
 *       that matches one of the names in the list ... including the delimiting blank line".</li>
 * </ul>
 */
public final class SectionExtractor {

    /** The octets of a section: a view into the message, or a filtered copy. */
    public sealed interface Result {
        int length();

        /** The octets as a new array. */
        byte[] toBytes(byte[] message);

        /** Appends the octets (not as a literal; see {@link ImapWire#literal}). */
        void appendTo(Buffer out, byte[] message);

        /**
         * The {@code <origin.count>} partial (RFC 3501 §6.4.5): at most {@code count} octets from
         * {@code origin}; empty when {@code origin} is past the end.
         */
        Result partial(long origin, long count);
    }

    /** {@code length} octets of the message from {@code offset}; no copy. */
    public record Slice(int offset, int length) implements Result {
        public static final Slice EMPTY = new Slice(0, 0);

        @Override
        public byte[] toBytes(byte[] message) {
            return java.util.Arrays.copyOfRange(message, offset, offset + length);
        }

        @Override
        public void appendTo(Buffer out, byte[] message) {
            out.appendBytes(message, offset, length);
        }

        @Override
        public Result partial(long origin, long count) {
            long from = Math.min(Math.max(origin, 0), length);
            long n = Math.min(Math.max(count, 0), length - from);
            return new Slice((int) (offset + from), (int) n);
        }
    }

    /** New octets (HEADER.FIELDS and HEADER.FIELDS.NOT). */
    public record Copy(byte[] octets) implements Result {
        @Override
        public int length() {
            return octets.length;
        }

        @Override
        public byte[] toBytes(byte[] message) {
            return octets.clone();
        }

        @Override
        public void appendTo(Buffer out, byte[] message) {
            out.appendBytes(octets);
        }

        @Override
        public Result partial(long origin, long count) {
            long from = Math.min(Math.max(origin, 0), octets.length);
            long n = Math.min(Math.max(count, 0), octets.length - from);
            return new Copy(java.util.Arrays.copyOfRange(octets, (int) from, (int) (from + n)));
        }
    }

    private SectionExtractor() {
    }

    /** The section of {@code message}; never throws, never null. */
    public static Result extract(byte[] message, FetchItem.Section section) {
        if (message == null || section == null) {
            return Slice.EMPTY;
        }
        MimePart root = MimePart.parse(message);
        if (section.part().isEmpty()) {
            return switch (section.text()) {
                case NONE -> new Slice(0, message.length);
                case MIME -> Slice.EMPTY;
                default -> ofMessage(root, section);
            };
        }
        MimePart p = navigate(root, section.part());
        if (p == null) {
            return Slice.EMPTY;
        }
        return switch (section.text()) {
            case NONE -> new Slice(p.bodyStart, p.bodySize());
            case MIME -> new Slice(p.start, p.bodyStart - p.start);
            default -> ofMessage(p.isMessage() ? p.message : p, section);
        };
    }

    /**
     * Octets of the header section of {@code message}, including the blank line: up to and with
     * the first empty line (CRLF CRLF; bare LF accepted), just the leading CRLF of an empty header,
     * or the whole length when there is no empty line (RFC 5322 §2.1).
     */
    public static int headerLength(byte[] message) {
        return message == null ? 0 : Header.headerEnd(message, 0, message.length);
    }

    /** The part with those numbers, or null when it does not exist. */
    static MimePart navigate(MimePart root, List<Integer> numbers) {
        MimePart p = messagePart(root, numbers.get(0));
        for (int i = 1; i < numbers.size() && p != null; i++) {
            int n = numbers.get(i);
            if (p.isMessage()) {
                p = messagePart(p.message, n);
            } else if (p.isMultipart()) {
                p = child(p, n);
            } else {
                p = null;
            }
        }
        return p;
    }

    /** Part n of a message: its n-th part when multipart, else the message itself as part 1. */
    private static MimePart messagePart(MimePart message, int n) {
        if (message.isMultipart()) {
            return child(message, n);
        }
        return n == 1 ? message : null;
    }

    private static MimePart child(MimePart multipart, int n) {
        return n >= 1 && n <= multipart.children.size() ? multipart.children.get(n - 1) : null;
    }

    /** HEADER, TEXT, HEADER.FIELDS[.NOT] of a message (or, leniently, of any entity). */
    private static Result ofMessage(MimePart m, FetchItem.Section section) {
        return switch (section.text()) {
            case HEADER -> new Slice(m.start, m.bodyStart - m.start);
            case TEXT -> new Slice(m.bodyStart, m.bodySize());
            case HEADER_FIELDS -> new Copy(fields(m.header, section.fields(), true));
            case HEADER_FIELDS_NOT -> new Copy(fields(m.header, section.fields(), false));
            default -> new Slice(m.bodyStart, m.bodySize());
        };
    }

    /** The fields whose names are (or are not) listed, raw, each ending in CRLF, then CRLF. */
    static byte[] fields(Header h, List<String> names, boolean keep) {
        Set<String> wanted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String n : names) {
            wanted.add(n.trim());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.forEach(f -> {
            if (wanted.contains(h.name(f)) == keep) {
                out.write(h.data(), f.start(), f.end() - f.start());
                if (h.data()[f.end() - 1] != '\n') {
                    out.write('\r');
                    out.write('\n');
                }
            }
        });
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
