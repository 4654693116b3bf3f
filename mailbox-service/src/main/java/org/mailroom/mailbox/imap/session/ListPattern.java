package org.mailroom.mailbox.imap.session;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * LIST patterns (RFC 3501 §6.3.8): {@code *} matches anything, {@code %} anything but the
 * hierarchy delimiter {@code /}. INBOX matches in any case (§5.1). Pure.
 */
final class ListPattern {

    private ListPattern() {
    }

    static Pattern compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '%') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : "[^/]*");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    static boolean matches(Pattern pattern, String name) {
        if (pattern.matcher(name).matches()) {
            return true;
        }
        // "inbox" and "Inbox/%" name INBOX too.
        if (name.equals("INBOX") || name.startsWith("INBOX/")) {
            String p = pattern.pattern();
            Pattern insensitive = Pattern.compile(p, Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
            return insensitive.matcher(name).matches() && name.toUpperCase(Locale.ROOT).startsWith("INBOX");
        }
        return false;
    }
}
