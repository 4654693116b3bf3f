package org.mailroom.mailbox.imap.response;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mailroom.mailbox.imap.response.Messages.crlf;
import static org.mailroom.mailbox.imap.response.Messages.render;

class EnvelopeEncoderTest {

    /** The header behind the FETCH example of RFC 3501 §6.4.5 / §7.4.2. */
    static final byte[] RFC3501_HEADER = crlf(
            "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
            "From: Terry Gray <gray@cac.washington.edu>",
            "Subject: IMAP4rev1 WG mtg summary and minutes",
            "To: imap@cac.washington.edu",
            "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>",
            "Message-Id: <B27397-0100000@cac.washington.edu>",
            "MIME-Version: 1.0",
            "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
            "",
            "");

    private static String envelope(byte[] header) {
        return render(o -> EnvelopeEncoder.encode(o, header));
    }

    @Test
    void rfc3501Example() {
        assertEquals("(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\""
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"imap\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\"))"
                + " NIL NIL \"<B27397-0100000@cac.washington.edu>\")", envelope(RFC3501_HEADER));
    }

    @Test
    void missingHeadersAreNil() {
        assertEquals("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", envelope(crlf("X-Foo: bar", "", "body")));
        assertEquals("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", envelope(new byte[0]));
    }

    @Test
    void groupsQuotedNamesAndEncodedWordsStayRaw() {
        assertEquals("(NIL \"=?UTF-8?Q?R=C3=A9sum=C3=A9?=\""
                + " ((\"Doe, Jane\" NIL \"jane\" \"example.com\"))"
                + " ((\"Doe, Jane\" NIL \"jane\" \"example.com\"))"
                + " ((\"Doe, Jane\" NIL \"jane\" \"example.com\"))"
                + " ((NIL NIL \"Team\" NIL)(NIL NIL \"joe\" \"example.com\")(\"Ann\" NIL \"ann\" \"example.com\")"
                + "(NIL NIL NIL NIL)(NIL NIL \"bob\" \"example.com\"))"
                + " NIL NIL NIL NIL)", envelope(Messages.MIXED));
    }

    @Test
    void senderReplyToAndFolding() {
        byte[] h = crlf(
                "From: =?iso-8859-1?q?J=F6rg?= <joerg@example.com>",
                "Sender: list@example.com",
                "Reply-To:",
                "Subject: a folded",
                "\tsubject",
                "Bcc: undisclosed-recipients:;",
                "In-Reply-To: <x@y>",
                "", "");
        assertEquals("(NIL \"a folded\tsubject\""
                + " ((\"=?iso-8859-1?q?J=F6rg?=\" NIL \"joerg\" \"example.com\"))"
                + " ((NIL NIL \"list\" \"example.com\"))"
                + " ((\"=?iso-8859-1?q?J=F6rg?=\" NIL \"joerg\" \"example.com\"))"
                + " NIL NIL ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))"
                + " \"<x@y>\" NIL)", envelope(h));
    }

    @Test
    void eightBitHeadersAreLiterals() {
        byte[] h = crlf("Subject: Grüße", "From: Jörg <j@example.com>", "", "");
        String jorg = "(({5}\r\nJörg NIL \"j\" \"example.com\"))";
        assertEquals("(NIL {7}\r\nGrüße " + jorg + " " + jorg + " " + jorg + " NIL NIL NIL NIL NIL)",
                envelope(h));
    }

    @Test
    void oddAddressesAreBestEffort() {
        byte[] h = crlf("From: <@route.example,@b.example:user@host.example>, nodomain, (comment) x@y (c),"
                + " \"unterminated <a@b", "", "");
        String prefix = "(NIL NIL ((NIL \"@route.example,@b.example\" \"user\" \"host.example\")"
                + "(NIL NIL \"nodomain\" \"MISSING_DOMAIN\")(NIL NIL \"x\" \"y\")"
                + "(NIL NIL \"unterminated <a\" \"b\")) ";
        assertEquals(prefix, envelope(h).substring(0, prefix.length()));
    }

    @Test
    void stopsAtTheBlankLine() {
        assertEquals("(NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL)",
                envelope(crlf("Subject: s", "", "From: body@example.com", "")));
        assertEquals("(NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL)",
                envelope("Subject: s\n\nFrom: body@example.com\n".getBytes()));
    }
}
