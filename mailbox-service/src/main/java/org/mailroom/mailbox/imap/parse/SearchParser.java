package org.mailroom.mailbox.imap.parse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SEARCH arguments (RFC 3501 §6.4.4): {@code [CHARSET astring SP] 1*(search-key)}, every key of
 * the §9 grammar, OR, NOT and parenthesised groups nested at most {@link #MAX_DEPTH} deep.
 */
final class SearchParser {

    /** Nesting bound for NOT, OR and parentheses, so that no input exhausts the stack. */
    static final int MAX_DEPTH = 64;

    /** Charsets we search in; RFC 3501 §6.4.4 requires US-ASCII, the issue asks for UTF-8. */
    static final String BADCHARSET = "BADCHARSET (US-ASCII UTF-8)";

    private final Tokenizer t;
    private Charset charset = StandardCharsets.UTF_8; // no CHARSET: ASCII, accept UTF-8 as RFC 9051 does

    private SearchParser(Tokenizer t) {
        this.t = t;
    }

    /** Parses after {@code SEARCH SP}, through the end of the command. */
    static ImapCommand.Search parse(Tokenizer t, String tag, boolean uid) {
        return new SearchParser(t).command(tag, uid);
    }

    private ImapCommand.Search command(String tag, boolean uid) {
        Optional<String> charsetName = Optional.empty();
        if (t.tryKeyword("CHARSET")) {
            t.sp();
            String name = new String(t.astringBytes(), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
            switch (name) {
                case "UTF-8": charset = StandardCharsets.UTF_8; break;
                case "US-ASCII": charset = StandardCharsets.US_ASCII; break;
                default:
                    // RFC 3501 §6.4.4: an unsupported charset is NO [BADCHARSET], not BAD
                    throw new ParseException(ParseError.Status.NO, BADCHARSET, "unsupported charset " + name);
            }
            charsetName = Optional.of(name);
            t.sp();
        }
        List<SearchKey> keys = new ArrayList<>();
        keys.add(key(0));
        while (!t.atEnd()) {
            t.sp();
            keys.add(key(0));
        }
        return new ImapCommand.Search(tag, uid, charsetName, new SearchKey.And(keys));
    }

    private SearchKey key(int depth) {
        if (depth > MAX_DEPTH) {
            throw t.fail("search keys nested too deep");
        }
        if (t.tryConsume('(')) {
            List<SearchKey> keys = new ArrayList<>();
            keys.add(key(depth + 1));
            while (!t.tryConsume(')')) {
                t.sp();
                keys.add(key(depth + 1));
            }
            return new SearchKey.And(keys);
        }
        if (t.atSequenceSet()) {
            return new SearchKey.Sequence(t.sequenceSet());
        }
        String name = t.keyword();
        switch (name) {
            case "ALL": case "ANSWERED": case "DELETED": case "DRAFT": case "FLAGGED": case "NEW": case "OLD":
            case "RECENT": case "SEEN": case "UNANSWERED": case "UNDELETED": case "UNDRAFT": case "UNFLAGGED":
            case "UNSEEN":
                return new SearchKey.Simple(SearchKey.Flag.valueOf(name));
            case "KEYWORD": case "UNKEYWORD":
                t.sp();
                return new SearchKey.Keyword(t.atom(), name.equals("KEYWORD"));
            case "BEFORE": case "ON": case "SINCE":
                t.sp();
                return new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.valueOf(name), ImapDates.date(t));
            case "SENTBEFORE": case "SENTON": case "SENTSINCE":
                t.sp();
                return new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.valueOf(name.substring(4)),
                        ImapDates.date(t));
            case "LARGER": case "SMALLER":
                t.sp();
                return new SearchKey.Size(name.equals("LARGER"), t.number());
            case "BCC": case "BODY": case "CC": case "FROM": case "SUBJECT": case "TEXT": case "TO":
                t.sp();
                return new SearchKey.Text(SearchKey.TextField.valueOf(name), string());
            case "HEADER": {
                t.sp();
                String field = t.decode(t.astringBytes(), StandardCharsets.US_ASCII);
                t.sp();
                return new SearchKey.Header(field, string());
            }
            case "UID":
                t.sp();
                return new SearchKey.Uid(t.sequenceSet());
            case "NOT":
                t.sp();
                return new SearchKey.Not(key(depth + 1));
            case "OR": {
                t.sp();
                SearchKey left = key(depth + 1);
                t.sp();
                return new SearchKey.Or(left, key(depth + 1));
            }
            default:
                throw t.fail("unknown search key " + name);
        }
    }

    private String string() {
        return t.decode(t.astringBytes(), charset);
    }
}
