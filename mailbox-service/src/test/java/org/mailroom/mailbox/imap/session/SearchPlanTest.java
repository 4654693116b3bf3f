package org.mailroom.mailbox.imap.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.imap.parse.ImapCommand;
import org.mailroom.mailbox.imap.parse.ImapParser;
import org.mailroom.mailbox.imap.parse.SearchKey;
import org.mailroom.mailbox.store.MessageFlags;
import org.mailroom.mailbox.store.MessageRow;
import org.mailroom.mailbox.store.Messages;

class SearchPlanTest {

    private final SelectedMailbox box = new SelectedMailbox(1, "INBOX", false, 7, 3, new long[] {1, 2, 3, 5}, 1, 6);
    private final SearchPlan plan = new SearchPlan(box);

    private static SearchKey key(String criteria) {
        return ((ImapCommand.Search) ImapParser.parse("a SEARCH " + criteria)).key();
    }

    @Test
    void flagDateSizeAndNumberKeysBecomeOneSqlCondition() {
        SearchPlan.Sql sql = plan.sql(key("OR SEEN NOT FLAGGED 2:3 LARGER 100 SINCE 1-Feb-2026 KEYWORD $Work")).orElseThrow();
        assertEquals("((((m.seen) OR (NOT (m.flagged)))) AND (m.uid = ANY($2::bigint[])) AND (m.size > $3::bigint)"
                + " AND ((m.internal_date AT TIME ZONE 'UTC')::date >= $4::date) AND (EXISTS (SELECT 1 FROM unnest(m.keywords) AS kw WHERE lower(kw) = lower($5::text))))",
                sql.condition());
        assertEquals(4, sql.params().size());
        assertEquals(List.of(2L, 3L), List.of((Long[]) sql.params().get(0)));
        assertEquals(100L, sql.params().get(1));
        assertEquals(LocalDate.of(2026, 2, 1), sql.params().get(2));
        assertEquals("$Work", sql.params().get(3));
    }

    @Test
    void recentNewAndOldUseTheSessionsRecentRanges() {
        SearchPlan.Sql sql = plan.sql(key("NEW")).orElseThrow();
        assertEquals("(((((m.uid >= $2::bigint AND m.uid < $3::bigint)) AND NOT m.seen)))", sql.condition());
        assertEquals(List.of(3L, 6L), sql.params());
        SelectedMailbox none = new SelectedMailbox(1, "INBOX", false, 7, 6, new long[] {1, 2, 3, 5}, 1, 6);
        assertEquals("((FALSE))", new SearchPlan(none).sql(key("RECENT")).orElseThrow().condition());
        assertEquals("((NOT FALSE))", new SearchPlan(none).sql(key("OLD")).orElseThrow().condition());
        SelectedMailbox many = new SelectedMailbox(1, "INBOX", false, 7, 6, new long[] {1, 2, 3, 5}, 1, 6);
        for (long uid = 10; uid < 30; uid += 2) {
            many.addRecent(uid, uid + 1);
        }
        SearchPlan.Sql unnest = new SearchPlan(many).sql(key("RECENT")).orElseThrow();
        assertEquals("((EXISTS (SELECT 1 FROM unnest($2::bigint[], $3::bigint[]) AS r(lo, hi) WHERE m.uid >= r.lo AND m.uid < r.hi)))",
                unnest.condition());
    }

    @Test
    void textKeysAreEvaluatedHereReadingOnlyWhatTheyNeed() {
        assertTrue(plan.sql(key("SUBJECT hello")).isEmpty());
        assertEquals(Messages.Content.HEADER, SearchPlan.needs(key("SUBJECT hello SEEN")));
        assertEquals(Messages.Content.HEADER, SearchPlan.needs(key("SENTBEFORE 1-Jan-2026")));
        assertEquals(Messages.Content.FULL, SearchPlan.needs(key("OR SUBJECT x BODY y")));
        assertEquals(Messages.Content.NONE, SearchPlan.needs(key("ALL")));
    }

    @Test
    void javaEvaluationCoversEveryKind() {
        byte[] msg = "Subject: Hello World\r\nFrom: Alice <alice@example.test>\r\nDate: Mon, 2 Feb 2026 10:00:00 +0100\r\n\r\nBody text\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        MessageRow row = new MessageRow(3, new MessageFlags(true, false, false, false, false, List.of("$Work")),
                OffsetDateTime.of(2026, 2, 2, 9, 0, 0, 0, ZoneOffset.UTC), msg.length, 1, msg);
        assertTrue(plan.matches(key("SUBJECT world"), row));
        assertTrue(plan.matches(key("FROM alice SEEN KEYWORD $Work RECENT OLD"), row) == false);
        assertTrue(plan.matches(key("FROM alice SEEN KEYWORD $Work RECENT"), row));
        assertTrue(plan.matches(key("BODY TEXT SENTON 2-Feb-2026 ON 2-Feb-2026 UID 3 3"), row), "seq 3 is UID 3");
        assertFalse(plan.matches(key("NOT TEXT body"), row));
        assertTrue(plan.matches(key("OR UNSEEN HEADER Date 2026"), row));
        assertTrue(plan.matches(key("SMALLER 1000 NOT LARGER 1000 SINCE 1-Feb-2026 BEFORE 3-Feb-2026"), row));
    }
}
