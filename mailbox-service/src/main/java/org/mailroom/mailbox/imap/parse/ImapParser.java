package org.mailroom.mailbox.imap.parse;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses a framed command into an {@link ImapCommand} or a {@link ParseError} (RFC 3501 §9 grammar,
 * plus IDLE, MOVE, NAMESPACE, ID, ENABLE, UNSELECT and UID EXPUNGE). Pure and total: it never throws
 * on client input. Which command is allowed in which state is not its business.
 */
public final class ImapParser {

    /** RFC 2971 §3.3: no more than 30 field-value pairs. */
    static final int MAX_ID_FIELDS = 30;

    private ImapParser() {
    }

    public static ParseResult parse(RawCommand command) {
        if (command.isSingleLine() && command.firstLine().equalsIgnoreCase("DONE")) {
            return new ImapCommand.Done(); // RFC 2177 §3: the line that ends IDLE
        }
        Tokenizer t = new Tokenizer(command);
        Optional<String> tag = Optional.empty();
        try {
            tag = Optional.of(t.tag());
            if (t.atEnd()) {
                throw t.fail("missing command");
            }
            t.sp();
            return command(t, tag.get());
        } catch (ParseException e) {
            return new ParseError(tag, e.status, Optional.ofNullable(e.code), e.getMessage());
        }
    }

    /** Parses one command line without literals, e.g. in tests: {@code parse("a1 NOOP")}. */
    public static ParseResult parse(String line) {
        return parse(RawCommand.ofLine(line));
    }

    private static ImapCommand command(Tokenizer t, String tag) {
        String name = t.keyword();
        ImapCommand result;
        switch (name) {
            case "CAPABILITY": result = new ImapCommand.Capability(tag); break;
            case "NOOP": result = new ImapCommand.Noop(tag); break;
            case "LOGOUT": result = new ImapCommand.Logout(tag); break;
            case "STARTTLS": result = new ImapCommand.StartTls(tag); break;
            case "CHECK": result = new ImapCommand.Check(tag); break;
            case "CLOSE": result = new ImapCommand.Close(tag); break;
            case "EXPUNGE": result = new ImapCommand.Expunge(tag); break;
            case "NAMESPACE": result = new ImapCommand.Namespace(tag); break;
            case "IDLE": result = new ImapCommand.Idle(tag); break;
            case "UNSELECT": result = new ImapCommand.Unselect(tag); break;
            case "AUTHENTICATE": result = authenticate(t, tag); break;
            case "LOGIN": {
                t.sp();
                String user = t.astring();
                t.sp();
                result = new ImapCommand.Login(tag, user, t.astring());
                break;
            }
            case "SELECT": result = new ImapCommand.Select(tag, mailboxArg(t)); break;
            case "EXAMINE": result = new ImapCommand.Examine(tag, mailboxArg(t)); break;
            case "CREATE": result = new ImapCommand.Create(tag, mailboxArg(t)); break;
            case "DELETE": result = new ImapCommand.Delete(tag, mailboxArg(t)); break;
            case "SUBSCRIBE": result = new ImapCommand.Subscribe(tag, mailboxArg(t)); break;
            case "UNSUBSCRIBE": result = new ImapCommand.Unsubscribe(tag, mailboxArg(t)); break;
            case "RENAME": {
                String from = mailboxArg(t);
                result = new ImapCommand.Rename(tag, from, mailboxArg(t));
                break;
            }
            case "LIST": case "LSUB": {
                String reference = mailboxArg(t);
                t.sp();
                String pattern = t.listMailbox();
                result = name.equals("LIST") ? new ImapCommand.ListMailboxes(tag, reference, pattern)
                        : new ImapCommand.Lsub(tag, reference, pattern);
                break;
            }
            case "STATUS": result = status(t, tag); break;
            case "APPEND": result = append(t, tag); break;
            case "ID": result = id(t, tag); break;
            case "ENABLE": {
                List<String> capabilities = new ArrayList<>();
                do {
                    t.sp();
                    capabilities.add(t.atom());
                } while (!t.atEnd());
                result = new ImapCommand.Enable(tag, capabilities);
                break;
            }
            case "UID": {
                t.sp();
                return selected(t, tag, t.keyword(), true);
            }
            default:
                return selected(t, tag, name, false);
        }
        t.end();
        return result;
    }

    /** Commands of the selected state that have a UID form (RFC 3501 §6.4.8, RFC 4315, RFC 6851). */
    private static ImapCommand selected(Tokenizer t, String tag, String name, boolean uid) {
        switch (name) {
            case "SEARCH":
                t.sp();
                return SearchParser.parse(t, tag, uid);
            case "FETCH": {
                SequenceSet set = setArg(t);
                t.sp();
                return new ImapCommand.Fetch(tag, uid, set, FetchParser.items(t));
            }
            case "STORE": return store(t, tag, uid);
            case "COPY": case "MOVE": {
                SequenceSet set = setArg(t);
                String mailbox = mailboxArg(t);
                t.end();
                return name.equals("COPY") ? new ImapCommand.Copy(tag, uid, set, mailbox)
                        : new ImapCommand.Move(tag, uid, set, mailbox);
            }
            case "EXPUNGE":
                if (uid) {
                    SequenceSet set = setArg(t);
                    t.end();
                    return new ImapCommand.UidExpunge(tag, set);
                }
                break;
            default:
                break;
        }
        throw t.fail(uid ? "unknown UID command " + name : "unknown command " + name);
    }

    private static String mailboxArg(Tokenizer t) {
        t.sp();
        return t.mailbox();
    }

    private static SequenceSet setArg(Tokenizer t) {
        t.sp();
        return t.sequenceSet();
    }

    /** AUTHENTICATE SP auth-type [SP (base64 / "=")] (RFC 3501 §6.2.2, RFC 4959 §3). */
    private static ImapCommand authenticate(Tokenizer t, String tag) {
        t.sp();
        String mechanism = t.keyword();
        Optional<String> initial = Optional.empty();
        if (!t.atEnd()) {
            t.sp();
            String response = t.takeWhile(c -> Chars.isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || c == '+' || c == '/' || c == '=');
            if (!isBase64(response)) {
                throw t.fail("initial response is not base64");
            }
            initial = Optional.of(response);
        }
        return new ImapCommand.Authenticate(tag, mechanism, initial);
    }

    /** base64 = *(4base64-char) [base64-terminal], or "=" for an empty initial response. */
    static boolean isBase64(String s) {
        if (s.equals("=")) {
            return true;
        }
        if (s.isEmpty() || s.length() % 4 != 0) {
            return false;
        }
        int padding = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
        return s.indexOf('=') == -1 || s.indexOf('=') == s.length() - padding;
    }

    /** STATUS SP mailbox SP "(" status-att *(SP status-att) ")". */
    private static ImapCommand status(Tokenizer t, String tag) {
        String mailbox = mailboxArg(t);
        t.sp();
        t.expect('(');
        List<StatusItem> items = new ArrayList<>();
        do {
            String atom = t.atom();
            items.add(StatusItem.of(atom).orElseThrow(() -> t.fail("unknown status item " + atom)));
        } while (t.tryConsume(' '));
        t.expect(')');
        return new ImapCommand.Status(tag, mailbox, items);
    }

    /** APPEND SP mailbox [SP flag-list] [SP date-time] SP literal (RFC 3501 §6.3.11). */
    private static ImapCommand append(Tokenizer t, String tag) {
        String mailbox = mailboxArg(t);
        t.sp();
        List<String> flags = List.of();
        if (t.peekIs('(')) {
            flags = t.flagList();
            t.sp();
        }
        Optional<OffsetDateTime> date = Optional.empty();
        if (t.peekIs('"')) {
            date = Optional.of(ImapDates.dateTime(t));
            t.sp();
        }
        if (!t.atLiteral()) {
            throw t.fail("APPEND needs the message as a literal" + t.found());
        }
        return new ImapCommand.Append(tag, mailbox, flags, date, t.literal());
    }

    /** STORE SP sequence-set SP ["+" / "-"] "FLAGS" [".SILENT"] SP (flag-list / (flag *(SP flag))). */
    private static ImapCommand store(Tokenizer t, String tag, boolean uid) {
        SequenceSet set = setArg(t);
        t.sp();
        ImapCommand.StoreMode mode = t.tryConsume('+') ? ImapCommand.StoreMode.ADD
                : t.tryConsume('-') ? ImapCommand.StoreMode.REMOVE : ImapCommand.StoreMode.REPLACE;
        String item = t.keyword();
        boolean silent;
        if (item.equals("FLAGS")) {
            silent = false;
        } else if (item.equals("FLAGS.SILENT")) {
            silent = true;
        } else {
            throw t.fail("unknown store item " + item);
        }
        t.sp();
        List<String> flags;
        if (t.peekIs('(')) {
            flags = t.flagList();
        } else {
            flags = new ArrayList<>();
            do {
                flags.add(t.flag());
            } while (t.tryConsume(' '));
        }
        t.end();
        return new ImapCommand.Store(tag, uid, set, mode, silent, flags);
    }

    /** ID SP ("(" string SP nstring *(SP string SP nstring) ")" / NIL) (RFC 2971 §4). */
    private static ImapCommand id(Tokenizer t, String tag) {
        t.sp();
        if (t.tryKeyword("NIL")) {
            return new ImapCommand.Id(tag, Optional.empty());
        }
        t.expect('(');
        List<ImapCommand.IdField> fields = new ArrayList<>();
        do {
            if (fields.size() == MAX_ID_FIELDS) {
                throw t.fail("more than " + MAX_ID_FIELDS + " ID fields");
            }
            String field = t.decode(t.string(), StandardCharsets.UTF_8);
            t.sp();
            fields.add(new ImapCommand.IdField(field, t.nstring()));
        } while (t.tryConsume(' '));
        t.expect(')');
        return new ImapCommand.Id(tag, Optional.of(fields));
    }
}
