package org.mailroom.mailbox.imap.response;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mailroom.mailbox.imap.response.Messages.render;

class ImapWireTest {

    @Test
    void nstringForms() {
        assertEquals("NIL", render(o -> ImapWire.nstring(o, (String) null)));
        assertEquals("\"\"", render(o -> ImapWire.nstring(o, "")));
        assertEquals("\"a \\\"b\\\" \\\\c\"", render(o -> ImapWire.nstring(o, "a \"b\" \\c")));
        assertEquals("{5}\r\nJörg", render(o -> ImapWire.nstring(o, "Jörg")));
        assertEquals("{3}\r\na\r\n", render(o -> ImapWire.nstring(o, "a\r\n")));
        assertEquals("{1}\r\n\0", render(o -> ImapWire.nstring(o, new byte[] {0})));
        assertEquals("NIL", render(o -> ImapWire.nstring(o, (byte[]) null)));
    }

    @Test
    void longStringsAreLiterals() {
        String s = "x".repeat(ImapWire.MAX_QUOTED);
        assertEquals("{1000}\r\n" + s, render(o -> ImapWire.nstring(o, s)));
        assertEquals("\"" + s.substring(1) + "\"", render(o -> ImapWire.nstring(o, s.substring(1))));
    }

    @Test
    void astringPrefersAtoms() {
        assertEquals("INBOX", render(o -> ImapWire.astring(o, "INBOX")));
        assertEquals("a]b", render(o -> ImapWire.astring(o, "a]b")));
        assertEquals("\"\"", render(o -> ImapWire.astring(o, "")));
        assertEquals("\"a b\"", render(o -> ImapWire.astring(o, "a b")));
        assertEquals("\"a%\"", render(o -> ImapWire.astring(o, "a%")));
        assertEquals("\"\\\\x\"", render(o -> ImapWire.astring(o, "\\x")));
        assertEquals("\"\"", render(o -> ImapWire.astring(o, null)));
    }

    @Test
    void flags() {
        assertEquals("\\Seen", render(o -> ImapWire.flag(o, "\\Seen")));
        assertEquals("$Junk", render(o -> ImapWire.flag(o, "$Junk")));
        assertEquals("\"bad flag\"", render(o -> ImapWire.flag(o, "bad flag")));
    }

    @Test
    void literalOfARange() {
        byte[] b = "abcdef".getBytes(StandardCharsets.US_ASCII);
        assertEquals("{3}\r\nbcd", render(o -> ImapWire.literal(o, b, 1, 3)));
    }
}
