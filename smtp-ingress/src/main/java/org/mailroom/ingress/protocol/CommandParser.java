package org.mailroom.ingress.protocol;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.smtp.Replies;
import org.mailroom.core.smtp.Reply;

/**
 * Parses one command line (without CRLF) into a {@link Command}. Total: never throws on client
 * input; anything malformed becomes {@link Command.Invalid} carrying its reply (500 5.5.2 for an
 * unknown verb, 501 5.5.4 for bad arguments, 555 5.5.4 for unknown MAIL/RCPT parameters).
 */
public final class CommandParser {

    public static final Reply BAD_ADDRESS = Reply.of(501, "5.1.3", "bad address syntax");
    public static final Reply BAD_SENDER_ADDRESS = Reply.of(501, "5.1.7", "bad sender address syntax");

    public static Command parse(String line) {
        if (line.isEmpty() || line.indexOf('\0') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            return new Command.Invalid("?", line.isEmpty() ? Replies.UNKNOWN_COMMAND : Replies.SYNTAX_ERROR);
        }
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        return switch (verb) {
            case "HELO" -> domainArg(arg).isEmpty() ? invalid(verb, "HELO requires a domain") : new Command.Helo(domainArg(arg));
            case "EHLO" -> domainArg(arg).isEmpty() ? invalid(verb, "EHLO requires a domain or address literal") : new Command.Ehlo(domainArg(arg));
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> arg.isBlank() ? new Command.Data() : invalid(verb, "DATA takes no argument");
            case "BDAT" -> bdat(arg);
            case "RSET" -> arg.isBlank() ? new Command.Rset() : invalid(verb, "RSET takes no argument");
            case "NOOP" -> new Command.Noop(); // RFC 5321 §4.1.1.9: a parameter may be given, and is ignored
            case "QUIT" -> arg.isBlank() ? new Command.Quit() : invalid(verb, "QUIT takes no argument");
            case "VRFY" -> arg.isBlank() ? invalid(verb, "VRFY requires an argument") : new Command.Vrfy(arg.strip());
            case "EXPN" -> arg.isBlank() ? invalid(verb, "EXPN requires an argument") : new Command.Expn(arg.strip());
            case "HELP" -> new Command.Help(arg.strip());
            case "STARTTLS" -> arg.isBlank() ? new Command.StartTls() : invalid(verb, "STARTTLS takes no argument");
            case "AUTH" -> auth(arg);
            default -> new Command.Invalid(verb.length() > 16 ? "?" : verb, Replies.UNKNOWN_COMMAND);
        };
    }

    private static String domainArg(String arg) {
        String a = arg.strip();
        int sp = a.indexOf(' ');
        return sp < 0 ? a : a.substring(0, sp);
    }

    /** RFC 5321 §4.1.1.2: MAIL FROM:<reverse-path> [SP Mail-parameters]. */
    private static Command mail(String arg) {
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) {
            return invalid("MAIL", "expected MAIL FROM:<address>");
        }
        PathAndParams pp = PathAndParams.split(arg.substring(5));
        if (pp == null) {
            return new Command.Invalid("MAIL", BAD_SENDER_ADDRESS);
        }
        String path = Paths.reversePath(pp.path());
        if (path == null) {
            return new Command.Invalid("MAIL", BAD_SENDER_ADDRESS);
        }
        long size = -1;
        Envelope.Body body = Envelope.Body.SEVEN_BIT;
        boolean smtpUtf8 = false;
        Envelope.Ret ret = null;
        String envid = null;
        for (String param : pp.params()) {
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            switch (key) {
                case "SIZE" -> {
                    size = parseSize(value);
                    if (size < 0) {
                        return invalid("MAIL", "SIZE must be a number");
                    }
                }
                case "BODY" -> {
                    if (value == null) {
                        return invalid("MAIL", "BODY requires a value");
                    }
                    try {
                        body = Envelope.Body.ofKeyword(value);
                    } catch (IllegalArgumentException e) {
                        return invalid("MAIL", "BODY must be 7BIT, 8BITMIME or BINARYMIME");
                    }
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        return invalid("MAIL", "SMTPUTF8 takes no value");
                    }
                    smtpUtf8 = true;
                }
                case "RET" -> {
                    if ("FULL".equalsIgnoreCase(value)) {
                        ret = Envelope.Ret.FULL;
                    } else if ("HDRS".equalsIgnoreCase(value)) {
                        ret = Envelope.Ret.HDRS;
                    } else {
                        return invalid("MAIL", "RET must be FULL or HDRS");
                    }
                }
                case "ENVID" -> {
                    envid = value == null ? null : Xtext.decode(value);
                    if (envid == null || value.length() > 100) { // RFC 3461 §4.4: at most 100 characters
                        return invalid("MAIL", "ENVID must be xtext of at most 100 characters");
                    }
                }
                case "AUTH" -> {
                    // RFC 4954 §5: the AUTH parameter; accepted and not trusted.
                }
                default -> {
                    return new Command.Invalid("MAIL", Replies.PARAM_NOT_IMPLEMENTED);
                }
            }
        }
        if (!smtpUtf8 && !isAscii(path)) {
            return new Command.Invalid("MAIL", Reply.of(553, "5.6.7", "non-ASCII address requires SMTPUTF8"));
        }
        return new Command.Mail(path, size, body, smtpUtf8, ret, envid);
    }

    /** RFC 5321 §4.1.1.3: RCPT TO:<forward-path> [SP Rcpt-parameters]. */
    private static Command rcpt(String arg) {
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) {
            return invalid("RCPT", "expected RCPT TO:<address>");
        }
        PathAndParams pp = PathAndParams.split(arg.substring(3));
        if (pp == null) {
            return new Command.Invalid("RCPT", BAD_ADDRESS);
        }
        String path = Paths.forwardPath(pp.path());
        if (path == null) {
            return new Command.Invalid("RCPT", BAD_ADDRESS);
        }
        Set<Recipient.Notify> notify = null;
        String orcpt = null;
        for (String param : pp.params()) {
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            switch (key) {
                case "NOTIFY" -> {
                    notify = parseNotify(value);
                    if (notify == null) {
                        return invalid("RCPT", "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
                    }
                }
                case "ORCPT" -> {
                    int semi = value == null ? -1 : value.indexOf(';');
                    String decoded = semi <= 0 ? null : Xtext.decode(value.substring(semi + 1));
                    if (decoded == null || value.length() > 500) {
                        return invalid("RCPT", "ORCPT must be addr-type;xtext");
                    }
                    orcpt = value.substring(0, semi) + ";" + decoded;
                }
                default -> {
                    return new Command.Invalid("RCPT", Replies.PARAM_NOT_IMPLEMENTED);
                }
            }
        }
        return new Command.Rcpt(path, notify, orcpt);
    }

    private static Set<Recipient.Notify> parseNotify(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        EnumSet<Recipient.Notify> set = EnumSet.noneOf(Recipient.Notify.class);
        for (String v : value.split(",", -1)) {
            try {
                set.add(Recipient.Notify.valueOf(v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (set.contains(Recipient.Notify.NEVER) && set.size() > 1) {
            return null; // RFC 3461 §4.1: NEVER stands alone
        }
        return set;
    }

    private static Command bdat(String arg) {
        String[] parts = arg.strip().split(" +");
        if (parts.length < 1 || parts.length > 2 || parts[0].isEmpty()) {
            return invalid("BDAT", "BDAT chunk-size [LAST]");
        }
        long size = parseSize(parts[0]);
        if (size < 0) {
            return invalid("BDAT", "chunk size must be a number");
        }
        if (parts.length == 2 && !parts[1].equalsIgnoreCase("LAST")) {
            return invalid("BDAT", "BDAT chunk-size [LAST]");
        }
        return new Command.Bdat(size, parts.length == 2);
    }

    private static Command auth(String arg) {
        String[] parts = arg.strip().split(" +");
        if (parts.length < 1 || parts.length > 2 || parts[0].isEmpty()) {
            return invalid("AUTH", "AUTH mechanism [initial-response]");
        }
        return new Command.Auth(parts[0].toUpperCase(Locale.ROOT), parts.length == 2 ? parts[1] : null);
    }

    private static long parseSize(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    private static Command invalid(String verb, String why) {
        return new Command.Invalid(verb, Reply.of(501, "5.5.4", why));
    }

    /** The path in angle brackets and the parameters after it. */
    record PathAndParams(String path, java.util.List<String> params) {
        static PathAndParams split(String rest) {
            String r = rest.stripLeading(); // tolerate "MAIL FROM: <x>" as most servers do
            if (!r.startsWith("<")) {
                return null;
            }
            int end = closingBracket(r);
            if (end < 0) {
                return null;
            }
            String tail = r.substring(end + 1);
            if (!tail.isEmpty() && !tail.startsWith(" ")) {
                return null;
            }
            java.util.List<String> params = new java.util.ArrayList<>();
            for (String p : tail.strip().split(" +")) {
                if (!p.isEmpty()) {
                    params.add(p);
                }
            }
            return new PathAndParams(r.substring(0, end + 1), params);
        }

        /** The '>' that closes the path, skipping quoted strings (a quoted local part may hold '>'). */
        private static int closingBracket(String r) {
            boolean quoted = false;
            for (int i = 1; i < r.length(); i++) {
                char c = r.charAt(i);
                if (c == '\\' && quoted) {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == '>' && !quoted) {
                    return i;
                }
            }
            return -1;
        }
    }

    private CommandParser() {}
}
