package org.mailroom.mailbox.imap.response;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A header section located in a message, {@code [start, end)} including its blank line (RFC 5322
 * §2.1, §2.2). Fields are found on demand, never all held, so a header of a million lines costs no
 * memory. Lines end in CRLF or, leniently, a bare LF. A line that is neither a field nor a
 * continuation (no colon) is skipped; continuation lines before the first field are skipped.
 */
record Header(byte[] data, int start, int end) {

    /** One field: {@code [start, end)} including its line ending, the colon at {@code colon}. */
    record Field(int start, int colon, int end) { }

    static Header of(byte[] data) {
        return new Header(data, 0, headerEnd(data, 0, data.length));
    }

    /**
     * The offset after the header section of {@code data[from, to)}: after the first empty line
     * (CRLF CRLF, or leniently LF LF / LF CRLF), after a leading empty line for an empty header, or
     * {@code to} when there is no empty line.
     */
    static int headerEnd(byte[] data, int from, int to) {
        int p = from;
        while (p < to) {
            if (data[p] == '\n') {
                return p + 1;
            }
            if (data[p] == '\r' && p + 1 < to && data[p + 1] == '\n') {
                return p + 2;
            }
            p = lineEnd(data, p, to);
        }
        return to;
    }

    /** The offset after the line starting at {@code p}: after its LF, or {@code to}. */
    static int lineEnd(byte[] data, int p, int to) {
        while (p < to && data[p] != '\n') {
            p++;
        }
        return p < to ? p + 1 : to;
    }

    /** Every field in order. Bounded by the header's size; prefer {@link #forEach} for large ones. */
    List<Field> fields() {
        List<Field> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    void forEach(java.util.function.Consumer<Field> action) {
        for (Field f = next(start); f != null; f = next(f.end())) {
            action.accept(f);
        }
    }

    /** The next field starting at or after {@code p}, or null. */
    private Field next(int p) {
        while (p < end) {
            int lineEnd = lineEnd(data, p, end);
            if (isBlankLine(p, lineEnd) || isWsp(data[p])) {
                p = lineEnd;
                continue;
            }
            int fieldEnd = lineEnd;
            while (fieldEnd < end && isWsp(data[fieldEnd])) {
                fieldEnd = lineEnd(data, fieldEnd, end);
            }
            int colon = indexOf(data, (byte) ':', p, lineEnd);
            if (colon > p) {
                return new Field(p, colon, fieldEnd);
            }
            p = fieldEnd;
        }
        return null;
    }

    /** The field name, without the obsolete white space before the colon (RFC 5322 §4.5.3). */
    String name(Field f) {
        int e = f.colon();
        while (e > f.start() && isWsp(data[e - 1])) {
            e--;
        }
        return new String(data, f.start(), e - f.start(), StandardCharsets.ISO_8859_1);
    }

    boolean isNamed(Field f, String name) {
        return name(f).equalsIgnoreCase(name);
    }

    /**
     * The value unfolded (RFC 5322 §2.2.3: CR and LF removed) and trimmed of surrounding white
     * space, as raw octets.
     */
    byte[] rawValue(Field f) {
        byte[] buf = new byte[f.end() - f.colon() - 1];
        int n = 0;
        for (int i = f.colon() + 1; i < f.end(); i++) {
            byte b = data[i];
            if (b != '\r' && b != '\n') {
                buf[n++] = b;
            }
        }
        int s = 0;
        while (s < n && isWsp(buf[s])) {
            s++;
        }
        while (n > s && isWsp(buf[n - 1])) {
            n--;
        }
        return java.util.Arrays.copyOfRange(buf, s, n);
    }

    /** The raw value as a string of octets (ISO-8859-1: one char per octet), for mime4j's parsers. */
    String octets(Field f) {
        return new String(rawValue(f), StandardCharsets.ISO_8859_1);
    }

    /** The first field of that name, or null. */
    Field first(String name) {
        for (Field f = next(start); f != null; f = next(f.end())) {
            if (isNamed(f, name)) {
                return f;
            }
        }
        return null;
    }

    /** The first field's raw value as octets-string, or null when absent. */
    String firstOctets(String name) {
        Field f = first(name);
        return f == null ? null : octets(f);
    }

    private boolean isBlankLine(int p, int lineEnd) {
        return data[p] == '\n' || (data[p] == '\r' && lineEnd == p + 2 && data[p + 1] == '\n');
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    static int indexOf(byte[] data, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
