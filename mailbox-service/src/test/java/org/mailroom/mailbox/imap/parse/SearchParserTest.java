package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.mailbox.imap.parse.Wire.error;
import static org.mailroom.mailbox.imap.parse.Wire.ok;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchParserTest {

    private static SearchKey single(String keys) {
        SearchKey.And and = (SearchKey.And) ok(ImapCommand.Search.class, "a1 SEARCH " + keys).key();
        assertEquals(1, and.keys().size());
        return and.keys().get(0);
    }

    private static SearchKey.Simple simple(SearchKey.Flag flag) {
        return new SearchKey.Simple(flag);
    }

    @Test
    void everyKeyWithoutArguments() {
        for (SearchKey.Flag flag : SearchKey.Flag.values()) {
            assertEquals(simple(flag), single(flag.name().toLowerCase()));
        }
    }

    @Test
    void keysWithArguments() {
        LocalDate date = LocalDate.of(1994, 2, 1);
        assertEquals(new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.BEFORE, date), single("BEFORE 1-Feb-1994"));
        assertEquals(new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.ON, date), single("ON \"01-feb-1994\""));
        assertEquals(new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE, date), single("SINCE 1-Feb-1994"));
        assertEquals(new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.BEFORE, date), single("SENTBEFORE 1-Feb-1994"));
        assertEquals(new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.ON, date), single("SENTON 1-Feb-1994"));
        assertEquals(new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.SINCE, date), single("SENTSINCE 1-Feb-1994"));
        assertEquals(new SearchKey.Size(true, 10000), single("LARGER 10000"));
        assertEquals(new SearchKey.Size(false, 0), single("SMALLER 0"));
        for (SearchKey.TextField field : SearchKey.TextField.values()) {
            assertEquals(new SearchKey.Text(field, "a b"), single(field.name() + " \"a b\""));
        }
        assertEquals(new SearchKey.Text(SearchKey.TextField.SUBJECT, "x"), single("SUBJECT {1}\r\nx\r\n"));
        assertEquals(new SearchKey.Header("X-Spam", ""), single("HEADER X-Spam \"\""));
        assertEquals(new SearchKey.Keyword("$Junk", true), single("KEYWORD $Junk"));
        assertEquals(new SearchKey.Keyword("$Junk", false), single("UNKEYWORD $Junk"));
        assertEquals(new SearchKey.Uid(SequenceSet.parse("1:100,*").orElseThrow()), single("UID 1:100,*"));
        assertEquals(new SearchKey.Sequence(SequenceSet.parse("2,4:*").orElseThrow()), single("2,4:*"));
    }

    @Test
    void notOrAndGroups() {
        SearchKey key = ok(ImapCommand.Search.class,
                "a1 SEARCH OR (FROM alice SINCE 1-Jan-2024) NOT SEEN DELETED").key();
        assertEquals(new SearchKey.And(List.of(
                new SearchKey.Or(
                        new SearchKey.And(List.of(
                                new SearchKey.Text(SearchKey.TextField.FROM, "alice"),
                                new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE, LocalDate.of(2024, 1, 1)))),
                        new SearchKey.Not(simple(SearchKey.Flag.SEEN))),
                simple(SearchKey.Flag.DELETED))), key);
    }

    @Test
    void charset() {
        ImapCommand.Search s = ok(ImapCommand.Search.class, "a1 SEARCH CHARSET utf-8 SUBJECT {6}\r\nEntwü\r\n");
        assertEquals(Optional.of("UTF-8"), s.charset());
        assertEquals(new SearchKey.And(List.of(new SearchKey.Text(SearchKey.TextField.SUBJECT, "Entwü"))), s.key());
        assertEquals(Optional.empty(), ok(ImapCommand.Search.class, "a1 SEARCH ALL").charset());

        ParseError e = error("a1 SEARCH CHARSET KOI8-R ALL");
        assertEquals(ParseError.Status.NO, e.status());
        assertEquals("a1 NO [BADCHARSET (US-ASCII UTF-8)] unsupported charset KOI8-R", e.replyLine());
        assertTrue(error("a1 SEARCH CHARSET US-ASCII SUBJECT \"Entwü\"").reason().contains("US-ASCII"));
    }

    @Test
    void malformedSearches() {
        error("a1 SEARCH");
        error("a1 SEARCH FROBNICATE");
        error("a1 SEARCH (SEEN");
        error("a1 SEARCH ()");
        error("a1 SEARCH OR SEEN");
        error("a1 SEARCH BEFORE 32-Jan-2024");
        error("a1 SEARCH BEFORE 1-Foo-2024");
        error("a1 SEARCH LARGER big");
        error("a1 SEARCH UID x");
        error("a1 SEARCH 1:0");
        error("a1 SEARCH SEEN  UNSEEN");
        assertTrue(error("a1 SEARCH " + "NOT ".repeat(100) + "SEEN").reason().contains("nested too deep"));
        assertTrue(error("a1 SEARCH " + "(".repeat(100) + "SEEN" + ")".repeat(100)).reason().contains("nested too deep"));
    }
}
