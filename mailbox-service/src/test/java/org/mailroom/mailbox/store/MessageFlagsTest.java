package org.mailroom.mailbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFlagsTest {

    @Test
    void systemFlagsAndKeywordsMatchCaseInsensitivelyAndKeepTheFirstSpelling() {
        MessageFlags f = MessageFlags.of(List.of("\\SEEN", "$Work", "\\draft", "$WORK", "NonJunk", "\\Recent", "\\Unknown"));
        assertTrue(f.seen() && f.draft() && !f.flagged());
        assertEquals(List.of("$Work", "NonJunk"), f.keywords());
        assertTrue(f.hasKeyword("$work") && f.hasKeyword("NONJUNK"));
        assertFalse(f.hasKeyword("$Work2"));
        assertEquals("(\\Seen \\Draft \\Recent $Work NonJunk)", f.render(true));
    }
}
