package org.mailroom.mailbox.imap.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One complete client command as framed off the wire, before parsing.
 *
 * <p>Shape: {@code Line (Literal Line)*}. Each {@link Line} holds the octets of one wire line without
 * its CRLF and without the trailing literal marker ({@code {n}} or {@code {n+}}); each {@link Literal}
 * sits exactly where its marker was. So {@code A1 LOGIN {5}CRLF alice SP "pw"CRLF} becomes
 * {@code [Line("A1 LOGIN "), Literal("alice"), Line(" \"pw\"")]}.
 */
public record RawCommand(List<Part> parts) {

    public RawCommand {
        parts = List.copyOf(parts);
        if (parts.size() % 2 == 0) {
            throw new IllegalArgumentException("a command is Line (Literal Line)*");
        }
        for (int i = 0; i < parts.size(); i++) {
            if ((i % 2 == 0) != (parts.get(i) instanceof Line)) {
                throw new IllegalArgumentException("a command is Line (Literal Line)*");
            }
        }
    }

    /** Convenience for tests and for single-line input such as IDLE's DONE or an AUTHENTICATE response. */
    public static RawCommand ofLine(String line) {
        return new RawCommand(List.of(new Line(line.getBytes(StandardCharsets.UTF_8))));
    }

    /** One part of a command: a line segment or a literal. */
    public sealed interface Part permits Line, Literal {
        byte[] bytes();
    }

    /** Octets of a line segment, without CRLF and without any literal marker. */
    public record Line(byte[] bytes) implements Part {
        @Override public boolean equals(Object o) {
            return o instanceof Line l && Arrays.equals(bytes, l.bytes);
        }
        @Override public int hashCode() {
            return Arrays.hashCode(bytes);
        }
        @Override public String toString() {
            return "Line[" + printable(bytes) + "]";
        }
    }

    /** Literal octets; {@code synchronising} is false for a LITERAL+ {@code {n+}} literal (RFC 7888). */
    public record Literal(byte[] bytes, boolean synchronising) implements Part {
        @Override public boolean equals(Object o) {
            return o instanceof Literal l && synchronising == l.synchronising && Arrays.equals(bytes, l.bytes);
        }
        @Override public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + (synchronising ? 1 : 0);
        }
        @Override public String toString() {
            return "Literal[" + bytes.length + (synchronising ? "" : "+") + "]";
        }
    }

    /** True when the command is one line with no literal. */
    public boolean isSingleLine() {
        return parts.size() == 1;
    }

    /** The first line decoded as UTF-8 (malformed octets replaced); for single-line input such as DONE. */
    public String firstLine() {
        return new String(parts.get(0).bytes(), StandardCharsets.UTF_8);
    }

    static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
