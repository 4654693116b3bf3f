package org.mailroom.mailbox.imap.parse;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** The {@code date} and {@code date-time} productions of RFC 3501 §9. */
final class ImapDates {

    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

    private ImapDates() {
    }

    /** date = date-text / DQUOTE date-text DQUOTE; date-text = 1*2DIGIT "-" month "-" 4DIGIT. */
    static LocalDate date(Tokenizer t) {
        String text = t.peekIs('"') ? new String(t.quoted(), StandardCharsets.ISO_8859_1) : t.atom();
        LocalDate date = dateText(text);
        if (date == null) {
            throw t.fail("invalid date: " + text);
        }
        return date;
    }

    /**
     * date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE, e.g.
     * {@code "17-Jul-1996 02:44:25 -0700"}; date-day-fixed is {@code (SP DIGIT) / 2DIGIT}, and a
     * single digit day is accepted too.
     */
    static OffsetDateTime dateTime(Tokenizer t) {
        String text = new String(t.quoted(), StandardCharsets.ISO_8859_1);
        OffsetDateTime value = dateTimeText(text);
        if (value == null) {
            throw t.fail("invalid date-time: " + text);
        }
        return value;
    }

    private static OffsetDateTime dateTimeText(String text) {
        String s = text.startsWith(" ") ? text.substring(1) : text;
        int sp = s.indexOf(' ');
        if (sp < 0 || s.length() != sp + 15) {
            return null;
        }
        LocalDate date = dateText(s.substring(0, sp));
        String time = s.substring(sp + 1, sp + 9);
        String zone = s.substring(sp + 10);
        if (date == null || s.charAt(sp + 9) != ' ' || time.charAt(2) != ':' || time.charAt(5) != ':'
                || !digits(time, 0, 2) || !digits(time, 3, 5) || !digits(time, 6, 8)
                || (zone.charAt(0) != '+' && zone.charAt(0) != '-') || !digits(zone, 1, 5)) {
            return null;
        }
        int hour = Integer.parseInt(time.substring(0, 2));
        int minute = Integer.parseInt(time.substring(3, 5));
        int second = Integer.parseInt(time.substring(6, 8));
        int zh = Integer.parseInt(zone.substring(1, 3));
        int zm = Integer.parseInt(zone.substring(3, 5));
        if (zm > 59 || zh > 18) {
            return null;
        }
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        try {
            return OffsetDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(), hour, minute,
                    second, 0, ZoneOffset.ofHoursMinutes(sign * zh, sign * zm));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static LocalDate dateText(String text) {
        int first = text.indexOf('-');
        int second = text.indexOf('-', first + 1);
        if (first < 1 || first > 2 || second != first + 4 || text.length() != second + 5
                || !digits(text, 0, first) || !digits(text, second + 1, text.length())) {
            return null;
        }
        int month = MONTHS.indexOf(text.substring(first + 1, second).toUpperCase(Locale.ROOT)) + 1;
        if (month == 0) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(text.substring(second + 1)), month,
                    Integer.parseInt(text.substring(0, first)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Chars.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return to > from;
    }
}
