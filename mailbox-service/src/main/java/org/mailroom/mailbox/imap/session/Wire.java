package org.mailroom.mailbox.imap.session;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mailroom.mailbox.imap.parse.MailboxName;

/** Small pieces of response syntax the session writes (RFC 3501 §7, §9). Pure. */
final class Wire {

    /** date-time of RFC 3501 §9: {@code "03-Dec-2026 19:44:44 +0000"}. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT);

    private Wire() {
    }

    static Buffer line(String text) {
        return Buffer.buffer(text + "\r\n", "UTF-8");
    }

    static String dateTime(OffsetDateTime t) {
        return "\"" + DATE_TIME.format(t) + "\"";
    }

    /** A mailbox name on the wire: modified UTF-7 (RFC 3501 §5.1.3), quoted. */
    static String mailbox(String unicodeName) {
        return quoted(MailboxName.encode(unicodeName));
    }

    /** A quoted string of 7-bit text (callers pass names and plain text only). */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    /** A UID set in the compact form of RFC 4315 §3 ({@code 1:3,7}), from ascending UIDs. */
    static String uidSet(long[] uids) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < uids.length) {
            int j = i;
            while (j + 1 < uids.length && uids[j + 1] == uids[j] + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(uids[i]);
            if (j > i) {
                b.append(':').append(uids[j]);
            }
            i = j + 1;
        }
        return b.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
