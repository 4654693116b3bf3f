package org.mailroom.mailbox.imap.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the RFC 3501 §9 lexical items off a {@link RawCommand}: a cursor over its line segments,
 * where a literal is met at the end of a segment. Every method either consumes a well-formed item
 * or throws {@link ParseException} with the reason.
 */
final class Tokenizer {

    private final List<RawCommand.Part> parts;
    private int partIndex;
    private byte[] line;
    private int pos;

    Tokenizer(RawCommand command) {
        this.parts = command.parts();
        this.line = parts.get(0).bytes();
    }

    // ---- position ------------------------------------------------------------------------------

    /** True when the whole command has been consumed. */
    boolean atEnd() {
        return pos == line.length && partIndex == parts.size() - 1;
    }

    /** True when the next item is a literal (the current line segment is exhausted). */
    boolean atLiteral() {
        return pos == line.length && partIndex < parts.size() - 1;
    }

    /** The next octet of the current line segment, or -1 at its end. */
    int peek() {
        return pos < line.length ? line[pos] & 0xff : -1;
    }

    boolean peekIs(char c) {
        return peek() == c;
    }

    void expect(char c) {
        if (peek() != c) {
            throw fail("expected '" + c + "'" + found());
        }
        pos++;
    }

    boolean tryConsume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    void sp() {
        if (peek() != ' ') {
            throw fail(atEnd() || atLiteral() ? "missing argument" : "expected space" + found());
        }
        pos++;
    }

    void end() {
        if (!atEnd()) {
            throw fail("unexpected text after the command" + found());
        }
    }

    String found() {
        if (atEnd()) {
            return " at end of command";
        }
        if (atLiteral()) {
            return " but found a literal";
        }
        int c = peek();
        return c >= 0x21 && c < 0x7f ? " but found '" + (char) c + "'" : " but found octet " + c;
    }

    ParseException fail(String reason) {
        return new ParseException(reason);
    }

    // ---- atoms and numbers ---------------------------------------------------------------------

    /** atom = 1*ATOM-CHAR. */
    String atom() {
        int start = pos;
        while (pos < line.length && Chars.isAtomChar(line[pos])) {
            pos++;
        }
        if (pos == start) {
            throw fail("expected an atom" + found());
        }
        return ascii(start, pos);
    }

    /** The (possibly empty) run of octets of the current line segment matching {@code allowed}. */
    String takeWhile(java.util.function.IntPredicate allowed) {
        int start = pos;
        while (pos < line.length && allowed.test(line[pos] & 0xff)) {
            pos++;
        }
        return ascii(start, pos);
    }

    /** An atom upper-cased, for keywords such as command names and SEARCH keys. */
    String keyword() {
        return atom().toUpperCase(Locale.ROOT);
    }

    /** Consumes {@code word} (case-insensitive) when it is the whole next atom. */
    boolean tryKeyword(String word) {
        int save = pos;
        int n = word.length();
        if (pos + n <= line.length && ascii(pos, pos + n).equalsIgnoreCase(word)
                && (pos + n == line.length || !Chars.isAtomChar(line[pos + n]))) {
            pos += n;
            return true;
        }
        pos = save;
        return false;
    }

    /** tag = 1*&lt;any ASTRING-CHAR except "+"&gt;. */
    String tag() {
        int start = pos;
        while (pos < line.length && Chars.isTagChar(line[pos])) {
            pos++;
        }
        if (pos == start || (pos < line.length && line[pos] != ' ')) {
            throw fail("missing or malformed tag");
        }
        return ascii(start, pos);
    }

    /** number = 1*DIGIT, an unsigned 32-bit integer. */
    long number() {
        int start = pos;
        long value = 0;
        while (pos < line.length && Chars.isDigit(line[pos])) {
            value = value * 10 + (line[pos] - '0');
            if (value > SequenceSet.MAX_NUMBER) {
                throw fail("number out of range");
            }
            pos++;
        }
        if (pos == start) {
            throw fail("expected a number" + found());
        }
        return value;
    }

    /** nz-number = digit-nz *DIGIT. */
    long nzNumber() {
        if (peek() == '0') {
            throw fail("expected a non-zero number");
        }
        return number();
    }

    /** The run of octets allowed in a sequence-set, parsed by {@link SequenceSet#parse}. */
    SequenceSet sequenceSet() {
        int start = pos;
        while (pos < line.length && (Chars.isDigit(line[pos]) || line[pos] == '*' || line[pos] == ':' || line[pos] == ',')) {
            pos++;
        }
        String text = ascii(start, pos);
        if (text.isEmpty()) {
            throw fail("expected a sequence set" + found());
        }
        if (pos < line.length && Chars.isAtomChar(line[pos])) {
            throw fail("invalid sequence set");
        }
        return SequenceSet.parse(text).orElseThrow(() -> fail("invalid sequence set: " + text));
    }

    /** True when the next item starts like a sequence-set (a digit or {@code *}). */
    boolean atSequenceSet() {
        int c = peek();
        return c == '*' || Chars.isDigit(c);
    }

    // ---- strings -------------------------------------------------------------------------------

    /** quoted = DQUOTE *QUOTED-CHAR DQUOTE, with "\" escaping DQUOTE and "\" only. */
    byte[] quoted() {
        expect('"');
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos == line.length) {
                throw fail("unterminated quoted string");
            }
            int c = line[pos++] & 0xff;
            if (c == '"') {
                return out.toByteArray();
            }
            if (c == '\\') {
                int next = peek();
                if (next != '"' && next != '\\') {
                    throw fail("invalid escape in quoted string");
                }
                pos++;
                out.write(next);
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw fail("invalid character in quoted string");
            } else {
                out.write(c); // 8-bit octets accepted as UTF-8 (RFC 6855, RFC 9051 §4.3)
            }
        }
    }

    /** literal: the next part of the command, framed by {@link ImapFramer}. */
    byte[] literal() {
        if (!atLiteral()) {
            throw fail("expected a literal" + found());
        }
        byte[] data = parts.get(++partIndex).bytes();
        line = parts.get(++partIndex).bytes();
        pos = 0;
        return data;
    }

    /** string = quoted / literal. */
    byte[] string() {
        if (atLiteral()) {
            return literal();
        }
        if (peek() == '"') {
            return quoted();
        }
        throw fail("expected a string" + found());
    }

    /** astring = 1*ASTRING-CHAR / string, as octets. */
    byte[] astringBytes() {
        if (atLiteral() || peek() == '"') {
            return string();
        }
        int start = pos;
        while (pos < line.length && Chars.isAstringChar(line[pos])) {
            pos++;
        }
        if (pos == start) {
            throw fail("expected an atom or string" + found());
        }
        byte[] out = new byte[pos - start];
        System.arraycopy(line, start, out, 0, out.length);
        return out;
    }

    /** astring decoded as UTF-8. */
    String astring() {
        return decode(astringBytes(), StandardCharsets.UTF_8);
    }

    /** nstring = string / NIL. */
    Optional<String> nstring() {
        if (tryKeyword("NIL")) {
            return Optional.empty();
        }
        return Optional.of(decode(string(), StandardCharsets.UTF_8));
    }

    /** mailbox = "INBOX" / astring; INBOX in any case means INBOX (RFC 3501 §5.1). Wire form, not decoded. */
    String mailbox() {
        String name = astring();
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    /** list-mailbox = 1*list-char / string. */
    String listMailbox() {
        if (atLiteral() || peek() == '"') {
            return decode(string(), StandardCharsets.UTF_8);
        }
        int start = pos;
        while (pos < line.length && Chars.isListChar(line[pos])) {
            pos++;
        }
        if (pos == start) {
            throw fail("expected a mailbox pattern" + found());
        }
        return ascii(start, pos);
    }

    // ---- flags ---------------------------------------------------------------------------------

    /**
     * flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword /
     * flag-extension. System flags are case-insensitive and returned in their canonical case;
     * {@code \Recent} is refused (it cannot be stored, RFC 3501 §2.3.2).
     */
    String flag() {
        if (tryConsume('\\')) {
            String name = atom();
            String canonical = Flags.canonicalSystemFlag(name);
            if (canonical == null) {
                throw fail("unknown system flag \\" + name);
            }
            return canonical;
        }
        return atom();
    }

    /** flag-list = "(" [flag *(SP flag)] ")". */
    List<String> flagList() {
        expect('(');
        List<String> flags = new ArrayList<>();
        if (tryConsume(')')) {
            return flags;
        }
        do {
            flags.add(flag());
        } while (tryConsume(' '));
        expect(')');
        return flags;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.US_ASCII);
    }

    /** Decodes strictly; malformed octets are a client error. */
    String decode(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail("string is not valid " + charset.name());
        }
    }
}
