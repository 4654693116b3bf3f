package org.mailroom.mailbox.imap.response;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Writes the string forms of RFC 3501 §4.3 / §9 into a response buffer: atom, quoted string,
 * literal and NIL. Every method is total; what cannot be quoted becomes a literal.
 *
 * <p>A literal carries its octets as given: RFC 3501 literals are CHAR8 (no NUL), so a caller that
 * may hold NUL octets (a raw message) should know that clients differ in how they take them;
 * BINARY (RFC 3516, literal8) is not offered.
 */
public final class ImapWire {

    /** Longer strings go out as literals even when they could be quoted (clients' line limits). */
    static final int MAX_QUOTED = 1000;

    private static final byte[] NIL = {'N', 'I', 'L'};

    private ImapWire() {
    }

    /** nstring: NIL, a quoted string, or a literal of the UTF-8 octets (RFC 3501 §4.3, §4.5). */
    public static void nstring(Buffer out, String s) {
        if (s == null) {
            out.appendBytes(NIL);
        } else {
            string(out, s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** nstring of raw octets: quoted when they are 7-bit TEXT-CHARs, else a literal. */
    public static void nstring(Buffer out, byte[] s) {
        if (s == null) {
            out.appendBytes(NIL);
        } else {
            string(out, s);
        }
    }

    /** string (never NIL; null is written as the empty quoted string). */
    public static void string(Buffer out, byte[] s) {
        if (s == null) {
            out.appendBytes(new byte[] {'"', '"'});
        } else if (quotable(s)) {
            quoted(out, s);
        } else {
            literal(out, s, 0, s.length);
        }
    }

    /**
     * astring: an atom when {@code s} is non-empty and every character is an ASTRING-CHAR, else a
     * string (RFC 3501 §9). For mailbox names (already modified-UTF-7 encoded) and keywords.
     */
    public static void astring(Buffer out, String s) {
        if (s != null && !s.isEmpty() && isAstring(s)) {
            out.appendString(s, "US-ASCII");
        } else {
            string(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A flag of a flag-list (RFC 3501 §9): {@code \}atom (system flags and flag-extension) or a
     * keyword atom, written as is. A name that is neither cannot appear in a flag-list; it is
     * written as a quoted string or literal so that the response stays parseable.
     */
    public static void flag(Buffer out, String flag) {
        String atom = flag != null && flag.startsWith("\\") ? flag.substring(1) : flag;
        if (atom != null && !atom.isEmpty() && isAtom(atom)) {
            out.appendString(flag, "US-ASCII");
        } else {
            astring(out, flag);
        }
    }

    /** {@code {n}CRLF} followed by {@code length} octets (RFC 3501 §4.3). */
    public static void literal(Buffer out, byte[] octets, int offset, int length) {
        out.appendString("{" + length + "}\r\n", "US-ASCII");
        out.appendBytes(octets, offset, length);
    }

    /** True when the octets can be a quoted string: TEXT-CHARs (1-127, no CR/LF) and short. */
    static boolean quotable(byte[] s) {
        if (s.length >= MAX_QUOTED) {
            return false;
        }
        for (byte b : s) {
            if (b <= 0 || b == '\r' || b == '\n') {
                return false;
            }
        }
        return true;
    }

    private static void quoted(Buffer out, byte[] s) {
        out.appendByte((byte) '"');
        for (byte b : s) {
            if (b == '"' || b == '\\') {
                out.appendByte((byte) '\\');
            }
            out.appendByte(b);
        }
        out.appendByte((byte) '"');
    }

    private static boolean isAstring(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ']' && !isAtomChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAtom(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isAtomChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** ATOM-CHAR: CHAR except atom-specials ( "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]" ). */
    static boolean isAtomChar(char c) {
        if (c <= 0x20 || c >= 0x7f) {
            return false;
        }
        return switch (c) {
            case '(', ')', '{', '%', '*', '"', '\\', ']' -> false;
            default -> true;
        };
    }
}
