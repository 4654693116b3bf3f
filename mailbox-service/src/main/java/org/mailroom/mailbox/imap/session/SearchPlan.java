package org.mailroom.mailbox.imap.session;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailroom.mailbox.imap.parse.SearchKey;
import org.mailroom.mailbox.imap.response.SearchText;
import org.mailroom.mailbox.store.MessageRow;
import org.mailroom.mailbox.store.Messages;

/**
 * How a SEARCH (RFC 3501 §6.4.4) is answered. Keys on flags, dates, sizes and numbers become one SQL
 * condition that PostgreSQL evaluates; keys on the text of a message (HEADER, BODY, TEXT, FROM...,
 * SENT*) are evaluated here over the rows, with only the header read when that is enough. Pure.
 */
public final class SearchPlan {

    private final SelectedMailbox box;

    public SearchPlan(SelectedMailbox box) {
        this.box = box;
    }

    /** A condition over {@code m} (messages) whose parameters start at {@code $2}. */
    public record Sql(String condition, List<Object> params) {}

    /** The SQL form, or empty when the key looks at message text. */
    public Optional<Sql> sql(SearchKey key) {
        if (needs(key) != Messages.Content.NONE) {
            return Optional.empty();
        }
        List<Object> params = new ArrayList<>();
        return Optional.of(new Sql(sql(key, params), params));
    }

    /** What of the message the Java evaluation reads. */
    public static Messages.Content needs(SearchKey key) {
        if (key instanceof SearchKey.Text t) {
            return t.field() == SearchKey.TextField.BODY || t.field() == SearchKey.TextField.TEXT
                    ? Messages.Content.FULL : Messages.Content.HEADER;
        } else if (key instanceof SearchKey.Header) {
            return Messages.Content.HEADER;
        } else if (key instanceof SearchKey.DateKey d) {
            return d.field() == SearchKey.DateField.SENT ? Messages.Content.HEADER : Messages.Content.NONE;
        } else if (key instanceof SearchKey.Not n) {
            return needs(n.key());
        } else if (key instanceof SearchKey.Or o) {
            return max(needs(o.left()), needs(o.right()));
        } else if (key instanceof SearchKey.And a) {
            return a.keys().stream().map(SearchPlan::needs).reduce(Messages.Content.NONE, SearchPlan::max);
        }
        return Messages.Content.NONE;
    }

    private static Messages.Content max(Messages.Content a, Messages.Content b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private String sql(SearchKey key, List<Object> params) {
        if (key instanceof SearchKey.Simple s) {
            return switch (s.flag()) {
                case ALL -> "TRUE";
                case ANSWERED -> "m.answered";
                case DELETED -> "m.deleted";
                case DRAFT -> "m.draft";
                case FLAGGED -> "m.flagged";
                case SEEN -> "m.seen";
                case UNANSWERED -> "NOT m.answered";
                case UNDELETED -> "NOT m.deleted";
                case UNDRAFT -> "NOT m.draft";
                case UNFLAGGED -> "NOT m.flagged";
                case UNSEEN -> "NOT m.seen";
                case RECENT -> recentSql(params);
                case NEW -> "(" + recentSql(params) + " AND NOT m.seen)";
                case OLD -> "NOT " + recentSql(params);
            };
        } else if (key instanceof SearchKey.Keyword k) {
            // keywords compare case-insensitively
            return (k.set() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM unnest(m.keywords) AS kw WHERE lower(kw) = lower("
                    + param(params, k.keyword()) + "))";
        } else if (key instanceof SearchKey.DateKey d) {
            // RFC 3501 §6.4.4: the internal date "disregarding time and timezone": its UTC date here.
            String day = "(m.internal_date AT TIME ZONE 'UTC')::date";
            String p = param(params, d.date());
            return switch (d.op()) {
                case BEFORE -> day + " < " + p;
                case ON -> day + " = " + p;
                case SINCE -> day + " >= " + p;
            };
        } else if (key instanceof SearchKey.Size s) {
            return "m.size " + (s.larger() ? ">" : "<") + " " + param(params, s.octets());
        } else if (key instanceof SearchKey.Sequence s) {
            return "m.uid = ANY(" + param(params, boxed(box.resolve(s.set(), false))) + ")";
        } else if (key instanceof SearchKey.Uid u) {
            return "m.uid = ANY(" + param(params, boxed(box.resolve(u.set(), true))) + ")";
        } else if (key instanceof SearchKey.Not n) {
            return "NOT (" + sql(n.key(), params) + ")";
        } else if (key instanceof SearchKey.Or o) {
            return "((" + sql(o.left(), params) + ") OR (" + sql(o.right(), params) + "))";
        } else if (key instanceof SearchKey.And a) {
            if (a.keys().isEmpty()) {
                return "TRUE";
            }
            StringBuilder b = new StringBuilder("(");
            for (SearchKey k : a.keys()) {
                if (b.length() > 1) {
                    b.append(" AND ");
                }
                b.append('(').append(sql(k, params)).append(')');
            }
            return b.append(')').toString();
        }
        throw new IllegalStateException("text key in SQL: " + key);
    }

    /** The session's recent UID ranges (a few in practice; many when sessions share new mail). */
    private String recentSql(List<Object> params) {
        long[][] ranges = box.recentRanges();
        if (ranges.length == 0) {
            return "FALSE";
        }
        if (ranges.length <= 4) {
            StringBuilder b = new StringBuilder("(");
            for (long[] r : ranges) {
                b.append(b.length() > 1 ? " OR " : "").append("(m.uid >= ").append(param(params, r[0]))
                        .append(" AND m.uid < ").append(param(params, r[1])).append(')');
            }
            return b.append(')').toString();
        }
        Long[] lo = new Long[ranges.length];
        Long[] hi = new Long[ranges.length];
        for (int i = 0; i < ranges.length; i++) {
            lo[i] = ranges[i][0];
            hi[i] = ranges[i][1];
        }
        return "EXISTS (SELECT 1 FROM unnest(" + param(params, lo) + ", " + param(params, hi)
                + ") AS r(lo, hi) WHERE m.uid >= r.lo AND m.uid < r.hi)";
    }

    private static String param(List<Object> params, Object value) {
        params.add(value);
        return "$" + (params.size() + 1) + typeOf(value);
    }

    private static String typeOf(Object value) {
        if (value instanceof Long[]) {
            return "::bigint[]";
        }
        if (value instanceof LocalDate) {
            return "::date";
        }
        if (value instanceof Long) {
            return "::bigint";
        }
        return "::text";
    }

    private static Long[] boxed(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Evaluates the key over one message; {@code row.content()} holds what {@link #needs} asked for. */
    public boolean matches(SearchKey key, MessageRow row) {
        if (key instanceof SearchKey.Simple s) {
            return switch (s.flag()) {
                case ALL -> true;
                case ANSWERED -> row.flags().answered();
                case DELETED -> row.flags().deleted();
                case DRAFT -> row.flags().draft();
                case FLAGGED -> row.flags().flagged();
                case SEEN -> row.flags().seen();
                case UNANSWERED -> !row.flags().answered();
                case UNDELETED -> !row.flags().deleted();
                case UNDRAFT -> !row.flags().draft();
                case UNFLAGGED -> !row.flags().flagged();
                case UNSEEN -> !row.flags().seen();
                case RECENT -> box.recent(row.uid());
                case NEW -> box.recent(row.uid()) && !row.flags().seen();
                case OLD -> !box.recent(row.uid());
            };
        } else if (key instanceof SearchKey.Keyword k) {
            return row.flags().hasKeyword(k.keyword()) == k.set();
        } else if (key instanceof SearchKey.DateKey d) {
            Optional<LocalDate> day = d.field() == SearchKey.DateField.INTERNAL
                    ? Optional.of(row.internalDate().atZoneSameInstant(ZoneOffset.UTC).toLocalDate())
                    : SearchText.sentDate(row.content());
            return day.map(x -> switch (d.op()) {
                case BEFORE -> x.isBefore(d.date());
                case ON -> x.isEqual(d.date());
                case SINCE -> !x.isBefore(d.date());
            }).orElse(false);
        } else if (key instanceof SearchKey.Size s) {
            return s.larger() ? row.size() > s.octets() : row.size() < s.octets();
        } else if (key instanceof SearchKey.Sequence s) {
            int seq = box.seq(row.uid());
            return seq > 0 && s.set().contains(seq, box.count());
        } else if (key instanceof SearchKey.Uid u) {
            return u.set().contains(row.uid(), box.maxUid());
        } else if (key instanceof SearchKey.Not n) {
            return !matches(n.key(), row);
        } else if (key instanceof SearchKey.Or o) {
            return matches(o.left(), row) || matches(o.right(), row);
        } else if (key instanceof SearchKey.And a) {
            for (SearchKey k : a.keys()) {
                if (!matches(k, row)) {
                    return false;
                }
            }
            return true;
        } else if (key instanceof SearchKey.Header h) {
            return SearchText.headerContains(row.content(), h.field(), h.value());
        } else if (key instanceof SearchKey.Text t) {
            return switch (t.field()) {
                case BODY -> SearchText.bodyContains(row.content(), t.value());
                case TEXT -> SearchText.textContains(row.content(), t.value());
                default -> SearchText.headerContains(row.content(), t.field().name(), t.value());
            };
        }
        throw new IllegalStateException("unknown search key " + key);
    }
}
