package org.mailroom.mailbox.pop3.protocol;

import java.util.Locale;
import org.mailroom.mailbox.pop3.protocol.Pop3Command.*;

/**
 * Parses one command line (without CRLF). Total: anything a client sends yields a command, an
 * unusable line an {@link Invalid} carrying its {@code -ERR}. RFC 1939 §3: keywords are
 * case-insensitive, arguments separated by single spaces; PASS takes the rest of the line so a
 * password may hold spaces.
 */
public final class Pop3Parser {

    public static final Pop3Reply UNKNOWN = Pop3Reply.err("unknown command");
    public static final Pop3Reply SYNTAX = Pop3Reply.err("syntax error");

    public static Pop3Command parse(String line) {
        int sp = line.indexOf(' ');
        String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        String[] args = rest.isEmpty() ? new String[0] : rest.trim().split(" +");
        return switch (keyword) {
            case "USER" -> args.length == 1 ? new User(args[0]) : invalid(keyword);
            case "PASS" -> sp < 0 ? invalid(keyword) : new Pass(rest);
            case "AUTH" -> args.length == 0 ? new Auth(null, null)
                    : args.length <= 2 ? new Auth(args[0].toUpperCase(Locale.ROOT), args.length == 2 ? args[1] : null)
                    : invalid(keyword);
            case "STAT" -> args.length == 0 ? new Stat() : invalid(keyword);
            case "LIST" -> args.length == 0 ? new ListCmd(0) : oneNumber(keyword, args, ListCmd::new);
            case "UIDL" -> args.length == 0 ? new Uidl(0) : oneNumber(keyword, args, Uidl::new);
            case "RETR" -> oneNumber(keyword, args, Retr::new);
            case "DELE" -> oneNumber(keyword, args, Dele::new);
            case "TOP" -> top(args);
            case "NOOP" -> args.length == 0 ? new Noop() : invalid(keyword);
            case "RSET" -> args.length == 0 ? new Rset() : invalid(keyword);
            case "QUIT" -> args.length == 0 ? new Quit() : invalid(keyword);
            case "CAPA" -> args.length == 0 ? new Capa() : invalid(keyword);
            case "STLS" -> args.length == 0 ? new Stls() : invalid(keyword);
            default -> new Invalid("OTHER", UNKNOWN);
        };
    }

    private static Pop3Command top(String[] args) {
        if (args.length != 2) {
            return invalid("TOP");
        }
        int message = number(args[0]);
        int lines = args[1].matches("[0-9]{1,9}") ? Integer.parseInt(args[1]) : -1;
        return message > 0 && lines >= 0 ? new Top(message, lines) : invalid("TOP");
    }

    private static Pop3Command oneNumber(String keyword, String[] args, java.util.function.IntFunction<Pop3Command> make) {
        if (args.length != 1) {
            return invalid(keyword);
        }
        int n = number(args[0]);
        return n > 0 ? make.apply(n) : invalid(keyword);
    }

    /** A message number (RFC 1939 §3: 1-based), or -1. */
    private static int number(String s) {
        return s.matches("[0-9]{1,9}") ? Integer.parseInt(s) : -1;
    }

    private static Pop3Command invalid(String keyword) {
        return new Invalid(keyword, SYNTAX);
    }

    private Pop3Parser() {}
}
