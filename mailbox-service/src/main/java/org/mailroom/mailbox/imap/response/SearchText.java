package org.mailroom.mailbox.imap.response;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.util.CharsetUtil;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The text keys of SEARCH (RFC 3501 §6.4.4) evaluated on a stored message, for when the database
 * cannot: "a case-insensitive substring" of the decoded text. Header values are unfolded and their
 * RFC 2047 words decoded (mime4j {@link DecoderUtil}); raw 8-bit header octets are read as UTF-8
 * (RFC 6532), or ISO-8859-1 when not valid UTF-8. Bodies are the text/* parts (also inside
 * message/rfc822 parts, with the encapsulated headers), transfer-decoded (base64,
 * quoted-printable) and charset-decoded; an unknown or us-ascii charset is read as UTF-8.
 * Case-insensitivity is Unicode case folding (upper then lower case). All methods are total.
 */
public final class SearchText {

    private SearchText() {
    }

    /** HEADER field-name string: some field of that name contains {@code needle}; "" = present. */
    public static boolean headerContains(byte[] header, String fieldName, String needle) {
        if (header == null || fieldName == null || needle == null) {
            return false;
        }
        Header h = MimePart.header(header);
        String folded = fold(needle);
        boolean[] hit = {false};
        h.forEach(f -> {
            if (!hit[0] && h.isNamed(f, fieldName.trim())) {
                hit[0] = folded.isEmpty() || fold(decodeValue(h.rawValue(f))).contains(folded);
            }
        });
        return hit[0];
    }

    /**
     * FROM, TO, CC, BCC: the decoded text of the whole field (display names and addresses)
     * contains {@code needle}.
     */
    public static boolean addressFieldContains(byte[] header, String fieldName, String needle) {
        return headerContains(header, fieldName, needle);
    }

    /** BODY: the decoded text of the message's text parts contains {@code needle}. */
    public static boolean bodyContains(byte[] message, String needle) {
        if (message == null || needle == null) {
            return false;
        }
        String folded = fold(needle);
        if (folded.isEmpty()) {
            return true;
        }
        return bodyMatches(MimePart.parse(message), folded);
    }

    /** TEXT: the header or the body contains {@code needle}. */
    public static boolean textContains(byte[] message, String needle) {
        if (message == null || needle == null) {
            return false;
        }
        String folded = fold(needle);
        return folded.isEmpty() || fold(headerText(MimePart.header(message))).contains(folded)
                || bodyContains(message, needle);
    }

    /**
     * The date of the Date: field as written, in its own zone (SENTBEFORE, SENTON, SENTSINCE
     * "disregarding time and timezone", RFC 3501 §6.4.4); empty when absent or unreadable.
     * Read leniently: {@code [day-name ","] day month year} (RFC 5322 §3.3), two- and three-digit
     * years per §4.3, and the asctime order {@code month day time year}.
     */
    public static Optional<LocalDate> sentDate(byte[] header) {
        if (header == null) {
            return Optional.empty();
        }
        Header h = MimePart.header(header);
        Header.Field f = h.first("Date");
        return f == null ? Optional.empty() : DateText.parse(h.octets(f));
    }

    private static boolean bodyMatches(MimePart p, String folded) {
        if (p.isMultipart()) {
            for (MimePart child : p.children) {
                if (bodyMatches(child, folded)) {
                    return true;
                }
            }
            return false;
        }
        if (p.isMessage()) {
            return fold(headerText(p.message.header)).contains(folded)
                    || bodyMatches(p.message, folded);
        }
        return p.type.is("text", null) && fold(decodedBody(p)).contains(folded);
    }

    /** The body of a leaf part, transfer-decoded and charset-decoded. */
    static String decodedBody(MimePart p) {
        Header.Field cte = p.header.first("Content-Transfer-Encoding");
        String encoding = cte == null ? "" : p.header.octets(cte).trim().toLowerCase(Locale.ROOT);
        InputStream raw = new ByteArrayInputStream(p.data, p.bodyStart, p.bodySize());
        InputStream in = switch (encoding) {
            case "base64" -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            default -> raw;
        };
        byte[] bytes = readAll(in);
        return new String(bytes, charset(p.type.param("charset")));
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            // keep what was decoded before the damage
        }
        return out.toByteArray();
    }

    private static Charset charset(String name) {
        Charset cs = null;
        try {
            cs = name == null ? null : CharsetUtil.lookup(name.trim());
        } catch (RuntimeException e) {
            // an illegal name is an unknown charset
        }
        return cs == null || cs.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : cs;
    }

    /** Every field as {@code name: decoded value} lines. */
    static String headerText(Header h) {
        StringBuilder b = new StringBuilder();
        h.forEach(f -> b.append(h.name(f)).append(": ").append(decodeValue(h.rawValue(f))).append('\n'));
        return b.toString();
    }

    /** A raw value read as UTF-8 (else ISO-8859-1) with its RFC 2047 encoded words decoded. */
    static String decodeValue(byte[] raw) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            s = new String(raw, StandardCharsets.ISO_8859_1);
        }
        try {
            return DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return s;
        }
    }

    static String fold(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** Lenient reading of an RFC 5322 §3.3 date-time's date, in its own zone. */
    static final class DateText {
        private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun",
                "jul", "aug", "sep", "oct", "nov", "dec");

        private DateText() {
        }

        static Optional<LocalDate> parse(String value) {
            List<String> tokens = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            int depth = 0;
            for (int i = 0; i <= value.length(); i++) {
                char c = i < value.length() ? value.charAt(i) : ' ';
                if (c == '(') {
                    depth++;
                } else if (c == ')' && depth > 0) {
                    depth--;
                } else if (depth > 0) {
                    continue;
                } else if (c == ' ' || c == '\t' || c == ',' || c == '-') {
                    if (cur.length() > 0) {
                        tokens.add(cur.toString());
                        cur.setLength(0);
                    }
                } else if (cur.length() < 32) {
                    cur.append(c);
                }
                if (tokens.size() > 16) {
                    break;
                }
            }
            for (int i = 0; i < tokens.size(); i++) {
                int month = month(tokens.get(i));
                if (month == 0) {
                    continue;
                }
                int before = i > 0 ? number(tokens.get(i - 1)) : -1;
                int after = i + 1 < tokens.size() ? number(tokens.get(i + 1)) : -1;
                if (before >= 1 && after >= 0) {
                    return date(year(after, tokens.get(i + 1).length()), month, before);
                }
                if (after >= 1 && i + 3 < tokens.size()) {
                    int y = number(tokens.get(i + 3));
                    if (y >= 0) {
                        return date(year(y, tokens.get(i + 3).length()), month, after);
                    }
                }
                return Optional.empty();
            }
            return Optional.empty();
        }

        private static int month(String token) {
            String t = token.toLowerCase(Locale.ROOT);
            return t.length() >= 3 ? MONTHS.indexOf(t.substring(0, 3)) + 1 : 0;
        }

        private static int number(String token) {
            if (token.isEmpty() || token.length() > 4) {
                return -1;
            }
            for (int i = 0; i < token.length(); i++) {
                if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                    return -1;
                }
            }
            return Integer.parseInt(token);
        }

        /** RFC 5322 §4.3: two digits are 20xx below 50, else 19xx; three digits add 1900. */
        private static int year(int y, int digits) {
            if (digits <= 2) {
                return y < 50 ? 2000 + y : 1900 + y;
            }
            return digits == 3 ? 1900 + y : y;
        }

        private static Optional<LocalDate> date(int year, int month, int day) {
            try {
                return Optional.of(LocalDate.of(year, month, day));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
    }
}
