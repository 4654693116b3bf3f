package org.mailroom.mailbox.imap.parse;

import java.util.Optional;

/**
 * Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable US-ASCII other than {@code &}
 * stands for itself, {@code &} is {@code &-}, anything else is UTF-16 in modified BASE64 (RFC 2045
 * alphabet with {@code ,} for {@code /}, no padding) between {@code &} and {@code -}.
 *
 * <p>Decoding is strict and refuses what RFC 3501 forbids or what has a second spelling: octets
 * outside printable ASCII, an unterminated shift, a shift that encodes printable ASCII, two shifts
 * back to back ({@code &AOQ-&AOQ-} must be {@code &AOQA5A-}), non-zero or excess padding bits, an
 * unpaired surrogate. So every accepted name has exactly one encoding, and
 * {@code encode(decode(x)) == x}.
 */
public final class MailboxName {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();

    private MailboxName() {
    }

    /** Encodes a Unicode mailbox name; throws {@link IllegalArgumentException} on an unpaired surrogate. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                i++;
            } else {
                int start = i;
                while (i < name.length() && (name.charAt(i) < 0x20 || name.charAt(i) > 0x7e)) {
                    i++;
                }
                checkSurrogates(name, start, i);
                out.append('&');
                base64(name.substring(start, i), out);
                out.append('-');
            }
        }
        return out.toString();
    }

    /** Decodes a modified UTF-7 name; empty when it is malformed (see the class comment). */
    public static Optional<String> decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        boolean previousWasShift = false;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.empty();
            }
            if (c != '&') {
                out.append(c);
                i++;
                previousWasShift = false;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) {
                return Optional.empty();
            }
            if (end == i + 1) {
                out.append('&');
                i = end + 1;
                previousWasShift = false;
                continue;
            }
            if (previousWasShift) {
                return Optional.empty();
            }
            String decoded = unbase64(encoded, i + 1, end);
            if (decoded == null) {
                return Optional.empty();
            }
            out.append(decoded);
            i = end + 1;
            previousWasShift = true;
        }
        return Optional.of(out.toString());
    }

    private static void checkSurrogates(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate at index " + i);
            }
        }
    }

    private static void base64(String units, StringBuilder out) {
        int bits = 0;
        int buffer = 0;
        for (int k = 0; k < units.length(); k++) {
            buffer = (buffer << 16) | units.charAt(k);
            bits += 16;
            while (bits >= 6) {
                bits -= 6;
                out.append(ALPHABET[(buffer >> bits) & 0x3f]);
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (6 - bits)) & 0x3f]);
        }
    }

    /** UTF-16 text of modified BASE64 {@code s[from..to)}, or null when malformed. */
    private static String unbase64(String s, int from, int to) {
        StringBuilder units = new StringBuilder();
        int bits = 0;
        int buffer = 0;
        for (int k = from; k < to; k++) {
            int v = value(s.charAt(k));
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 16) {
                bits -= 16;
                units.append((char) ((buffer >> bits) & 0xffff));
                buffer &= (1 << bits) - 1;
            }
        }
        // Leftover must be under 6 bits and zero: anything else is padding garbage or a cut unit.
        if (bits >= 6 || buffer != 0 || units.length() == 0) {
            return null;
        }
        for (int k = 0; k < units.length(); k++) {
            char c = units.charAt(k);
            if (c >= 0x20 && c <= 0x7e) {
                return null; // RFC 3501 §5.1.3: printable US-ASCII MUST represent itself
            }
            if (Character.isHighSurrogate(c) && k + 1 < units.length() && Character.isLowSurrogate(units.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                return null;
            }
        }
        return units.toString();
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == ',' ? 63 : -1;
    }
}
