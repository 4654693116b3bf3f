package org.mailroom.core.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void enhancedCodeOnEveryLine() {
        Reply r = Reply.multiline(250, "2.0.0", List.of("mail.example.test", "PIPELINING", "SIZE 26214400"));
        assertEquals("250-2.0.0 mail.example.test\r\n250-2.0.0 PIPELINING\r\n250 2.0.0 SIZE 26214400\r\n", r.render());
    }

    @Test
    void fixedReplies() {
        assertEquals("554 5.7.1 relay access denied\r\n", Replies.RELAY_DENIED.render());
        assertEquals("354 end data with <CR><LF>.<CR><LF>\r\n", Replies.START_DATA.render());
    }

    @Test
    void invalidRepliesCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> Reply.of(250, "5.0.0", "class mismatch"));
        assertThrows(IllegalArgumentException.class, () -> Reply.of(250, "2.00.0", "leading zero"));
        assertThrows(IllegalArgumentException.class, () -> Reply.of(999, null, "range"));
        assertThrows(IllegalArgumentException.class, () -> Reply.of(250, "2.0.0", "inject\r\n250 x"));
    }
}
