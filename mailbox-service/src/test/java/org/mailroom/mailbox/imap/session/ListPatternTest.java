package org.mailroom.mailbox.imap.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.store.MessageFlags;

class ListPatternTest {

    private static boolean match(String pattern, String name) {
        return ListPattern.matches(ListPattern.compile(pattern), name);
    }

    @Test
    void starCrossesLevelsPercentDoesNot() {
        assertTrue(match("*", "a/b/c"));
        assertTrue(match("%", "a"));
        assertFalse(match("%", "a/b"));
        assertTrue(match("a/%", "a/b"));
        assertFalse(match("a/%", "a/b/c"));
        assertTrue(match("a*c", "a/b/c"));
    }

    @Test
    void patternTextIsLiteralAndInboxMatchesInAnyCase() {
        assertTrue(match("a.b(c)", "a.b(c)"));
        assertFalse(match("a.b", "axb"));
        assertTrue(match("inbox", "INBOX"));
        assertTrue(match("Inbox/%", "INBOX/x"));
        assertFalse(match("sent", "Sent"), "only INBOX is case-insensitive (RFC 3501 §5.1)");
    }

    @Test
    void uidSetsAreWrittenCompactly() {
        assertEquals("1:3,7,9:10", Wire.uidSet(new long[] {1, 2, 3, 7, 9, 10}));
        assertEquals("", Wire.uidSet(new long[0]));
    }

    @Test
    void flagsRenderInAFixedOrderAndIgnoreWhatCannotBeStored() {
        MessageFlags f = MessageFlags.of(java.util.List.of("$Work", "\\seen", "\\Recent", "\\Bogus", "\\DELETED", "$Work"));
        assertEquals("(\\Seen \\Deleted \\Recent $Work)", f.render(true));
        assertEquals("()", MessageFlags.NONE.render(false));
    }
}
