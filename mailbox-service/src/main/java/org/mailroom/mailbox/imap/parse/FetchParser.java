package org.mailroom.mailbox.imap.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * FETCH items (RFC 3501 §6.4.5, grammar §9: fetch-att, section, partial), macros expanded:
 * ALL = FLAGS INTERNALDATE RFC822.SIZE ENVELOPE, FAST = FLAGS INTERNALDATE RFC822.SIZE,
 * FULL = ALL plus BODY.
 */
final class FetchParser {

    private static final List<FetchItem> FAST = List.of(
            simple(FetchItem.Attribute.FLAGS), simple(FetchItem.Attribute.INTERNALDATE),
            simple(FetchItem.Attribute.RFC822_SIZE));
    private static final List<FetchItem> ALL = concat(FAST, simple(FetchItem.Attribute.ENVELOPE));
    private static final List<FetchItem> FULL = concat(ALL, simple(FetchItem.Attribute.BODY));

    /** Part numbers are nz-numbers; a MIME tree this deep is refused. */
    private static final int MAX_PART_DEPTH = 32;

    private FetchParser() {
    }

    /** Parses the items after {@code FETCH SP sequence-set SP}, through the end of the command. */
    static List<FetchItem> items(Tokenizer t) {
        List<FetchItem> items;
        if (t.tryConsume('(')) {
            items = new ArrayList<>();
            items.add(item(t));
            while (!t.tryConsume(')')) {
                t.sp();
                items.add(item(t));
            }
        } else if (t.tryKeyword("ALL")) {
            items = ALL;
        } else if (t.tryKeyword("FAST")) {
            items = FAST;
        } else if (t.tryKeyword("FULL")) {
            items = FULL;
        } else {
            items = List.of(item(t));
        }
        t.end();
        return items;
    }

    private static FetchItem item(Tokenizer t) {
        String name = t.takeWhile(FetchParser::isNameChar).toUpperCase(Locale.ROOT);
        switch (name) {
            case "ENVELOPE": return simple(FetchItem.Attribute.ENVELOPE);
            case "FLAGS": return simple(FetchItem.Attribute.FLAGS);
            case "INTERNALDATE": return simple(FetchItem.Attribute.INTERNALDATE);
            case "RFC822.SIZE": return simple(FetchItem.Attribute.RFC822_SIZE);
            case "BODYSTRUCTURE": return simple(FetchItem.Attribute.BODYSTRUCTURE);
            case "UID": return simple(FetchItem.Attribute.UID);
            case "RFC822": return simple(FetchItem.Attribute.RFC822);
            case "RFC822.HEADER": return simple(FetchItem.Attribute.RFC822_HEADER);
            case "RFC822.TEXT": return simple(FetchItem.Attribute.RFC822_TEXT);
            case "BODY":
                if (!t.peekIs('[')) {
                    return simple(FetchItem.Attribute.BODY);
                }
                return bodySection(t, false);
            case "BODY.PEEK":
                return bodySection(t, true);
            default:
                throw t.fail(name.isEmpty() ? "expected a fetch item" + t.found() : "unknown fetch item " + name);
        }
    }

    private static FetchItem bodySection(Tokenizer t, boolean peek) {
        t.expect('[');
        FetchItem.Section section = section(t);
        t.expect(']');
        Optional<FetchItem.Partial> partial = Optional.empty();
        if (t.tryConsume('<')) {
            long offset = t.number();
            t.expect('.');
            long count = t.nzNumber();
            t.expect('>');
            partial = Optional.of(new FetchItem.Partial(offset, count));
        }
        return new FetchItem.BodySection(peek, section, partial);
    }

    /** section-spec = section-msgtext / (section-part ["." section-text]). */
    private static FetchItem.Section section(Tokenizer t) {
        String spec = t.takeWhile(FetchParser::isNameChar).toUpperCase(Locale.ROOT);
        if (spec.isEmpty()) {
            return FetchItem.Section.WHOLE;
        }
        List<String> words = Arrays.asList(spec.split("\\.", -1));
        List<Integer> part = new ArrayList<>();
        int i = 0;
        while (i < words.size() && !words.get(i).isEmpty() && Character.isDigit(words.get(i).charAt(0))) {
            part.add(partNumber(t, words.get(i)));
            i++;
        }
        if (part.size() > MAX_PART_DEPTH) {
            throw t.fail("section part nested too deep");
        }
        String text = String.join(".", words.subList(i, words.size()));
        FetchItem.SectionText kind;
        switch (i < words.size() && text.isEmpty() ? "." : text) {
            case "": kind = FetchItem.SectionText.NONE; break;
            case "HEADER": kind = FetchItem.SectionText.HEADER; break;
            case "HEADER.FIELDS": kind = FetchItem.SectionText.HEADER_FIELDS; break;
            case "HEADER.FIELDS.NOT": kind = FetchItem.SectionText.HEADER_FIELDS_NOT; break;
            case "TEXT": kind = FetchItem.SectionText.TEXT; break;
            case "MIME": kind = FetchItem.SectionText.MIME; break;
            default: throw t.fail("invalid section " + spec);
        }
        if (kind == FetchItem.SectionText.MIME && part.isEmpty()) {
            throw t.fail("MIME needs a part number"); // section-text "MIME" only after section-part
        }
        List<String> fields = List.of();
        if (kind == FetchItem.SectionText.HEADER_FIELDS || kind == FetchItem.SectionText.HEADER_FIELDS_NOT) {
            t.sp();
            fields = headerList(t);
        }
        return new FetchItem.Section(part, kind, fields);
    }

    private static int partNumber(Tokenizer t, String word) {
        if (word.charAt(0) == '0' || word.length() > 9 || !word.chars().allMatch(Chars::isDigit)) {
            throw t.fail("invalid section part " + word);
        }
        return Integer.parseInt(word);
    }

    /** header-list = "(" header-fld-name *(SP header-fld-name) ")"; header-fld-name = astring. */
    private static List<String> headerList(Tokenizer t) {
        t.expect('(');
        List<String> names = new ArrayList<>();
        do {
            names.add(t.astring());
        } while (t.tryConsume(' '));
        t.expect(')');
        return names;
    }

    private static boolean isNameChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || Chars.isDigit(c) || c == '.';
    }

    private static FetchItem simple(FetchItem.Attribute attribute) {
        return new FetchItem.Simple(attribute);
    }

    private static List<FetchItem> concat(List<FetchItem> items, FetchItem item) {
        List<FetchItem> all = new ArrayList<>(items);
        all.add(item);
        return List.copyOf(all);
    }
}
