package org.mailroom.mailbox.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pop3ReplyTest {

    private static String wire(Pop3Reply r) {
        return new String(r.encode(), StandardCharsets.UTF_8);
    }

    @Test
    void statusLinesWithResponseCodes() {
        assertEquals("+OK 2 320\r\n", wire(Pop3Reply.ok("2 320")));
        assertEquals("+OK\r\n", wire(Pop3Reply.ok("")));
        assertEquals("-ERR [IN-USE] locked\r\n", wire(Pop3Reply.err(ResponseCode.IN_USE, "locked")));
        assertEquals("-ERR [SYS/TEMP] later\r\n", wire(Pop3Reply.err(ResponseCode.SYS_TEMP, "later")));
        assertEquals("+ \r\n", wire(Pop3Reply.continuation()));
    }

    @Test
    void retrIsDotStuffedAndCrlfTerminated() {
        byte[] message = "Subject: x\r\n\r\n.hidden\r\nbare lf\n..two\r\nno newline at end".getBytes(StandardCharsets.US_ASCII);
        assertEquals("+OK 5 octets\r\nSubject: x\r\n\r\n..hidden\r\nbare lf\r\n...two\r\nno newline at end\r\n.\r\n",
                wire(Pop3Reply.message("5 octets", message, -1)));
    }

    @Test
    void aMessageEndingInCrlfGetsNoExtraLine() {
        assertEquals("+OK x\r\nA: b\r\n\r\nbody\r\n.\r\n",
                wire(Pop3Reply.message("x", "A: b\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), -1)));
        assertEquals("+OK x\r\n.\r\n", wire(Pop3Reply.message("x", new byte[0], -1)));
    }

    @Test
    void topGivesTheHeaderAndNBodyLines() {
        byte[] message = "A: 1\r\nB: 2\r\n\r\nline1\r\n.line2\r\nline3\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("+OK t\r\nA: 1\r\nB: 2\r\n\r\n.\r\n", wire(Pop3Reply.message("t", message, 0)));
        assertEquals("+OK t\r\nA: 1\r\nB: 2\r\n\r\nline1\r\n..line2\r\n.\r\n", wire(Pop3Reply.message("t", message, 2)));
        assertEquals("+OK t\r\nA: 1\r\nB: 2\r\n\r\nline1\r\n..line2\r\nline3\r\n.\r\n", wire(Pop3Reply.message("t", message, 99)));
    }

    @Test
    void textListsAreStuffedToo() {
        assertEquals("+OK caps\r\nTOP\r\n..dot\r\n.\r\n", wire(Pop3Reply.lines("caps", List.of("TOP", ".dot"))));
    }
}
