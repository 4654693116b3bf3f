package org.mailroom.mailbox.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailroom.mailbox.pop3.protocol.Pop3Command.*;

class Pop3ParserTest {

    @Test
    void commandsAndArguments() {
        assertEquals(new User("alice@example.test"), Pop3Parser.parse("user alice@example.test"));
        assertEquals(new Pass("two words "), Pop3Parser.parse("PASS two words "));
        assertEquals(new Stat(), Pop3Parser.parse("STAT"));
        assertEquals(new ListCmd(0), Pop3Parser.parse("LIST"));
        assertEquals(new ListCmd(3), Pop3Parser.parse("list 3"));
        assertEquals(new Uidl(0), Pop3Parser.parse("UIDL"));
        assertEquals(new Uidl(12), Pop3Parser.parse("UIDL 12"));
        assertEquals(new Retr(1), Pop3Parser.parse("RETR 1"));
        assertEquals(new Top(1, 0), Pop3Parser.parse("TOP 1 0"));
        assertEquals(new Dele(2), Pop3Parser.parse("Dele 2"));
        assertEquals(new Noop(), Pop3Parser.parse("NOOP"));
        assertEquals(new Rset(), Pop3Parser.parse("RSET"));
        assertEquals(new Quit(), Pop3Parser.parse("QUIT"));
        assertEquals(new Capa(), Pop3Parser.parse("CAPA"));
        assertEquals(new Stls(), Pop3Parser.parse("STLS"));
        assertEquals(new Auth("PLAIN", null), Pop3Parser.parse("AUTH plain"));
        assertEquals(new Auth("PLAIN", "AGEAYg=="), Pop3Parser.parse("AUTH PLAIN AGEAYg=="));
        assertEquals(new Auth(null, null), Pop3Parser.parse("AUTH"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RETR", "RETR 0", "RETR -1", "RETR x", "RETR 1 2", "TOP 1", "TOP 1 -2", "DELE",
        "LIST 9999999999", "USER", "USER a b", "PASS", "STAT 1", "QUIT now", "AUTH A B C"})
    void badArgumentsAreSyntaxErrors(String line) {
        Invalid invalid = assertInstanceOf(Invalid.class, Pop3Parser.parse(line));
        assertEquals(Pop3Parser.SYNTAX, invalid.reply());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "APOP a b", "HELO", "\u0000", "RETR\t1"})
    void unknownCommandsAreErrorsNotExceptions(String line) {
        assertInstanceOf(Invalid.class, Pop3Parser.parse(line));
    }
}
