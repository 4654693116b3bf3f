package org.mailroom.mailbox.imap.response;

import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.imap.parse.FetchItem.Section;
import org.mailroom.mailbox.imap.parse.FetchItem.SectionText;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.mailroom.mailbox.imap.response.Messages.crlf;

class SectionExtractorTest {

    private static String get(byte[] m, SectionText text, List<String> fields, Integer... part) {
        SectionExtractor.Result r = SectionExtractor.extract(m, new Section(List.of(part), text, fields));
        return new String(r.toBytes(m), StandardCharsets.UTF_8);
    }

    private static String get(byte[] m, SectionText text, Integer... part) {
        return get(m, text, List.of(), part);
    }

    @Test
    void wholeHeaderText() {
        byte[] m = Messages.PLAIN;
        String s = new String(m, StandardCharsets.UTF_8);
        int h = s.indexOf("\r\n\r\n") + 4;
        assertEquals(s, get(m, SectionText.NONE));
        assertEquals(s.substring(0, h), get(m, SectionText.HEADER));
        assertEquals(s.substring(h), get(m, SectionText.TEXT));
        assertEquals(h, SectionExtractor.headerLength(m));
        assertInstanceOf(SectionExtractor.Slice.class, SectionExtractor.extract(m, Section.WHOLE));
    }

    @Test
    void nonMultipartHasPartOne() {
        byte[] m = Messages.PLAIN;
        assertEquals("Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n", get(m, SectionText.NONE, 1));
        assertEquals(get(m, SectionText.HEADER), get(m, SectionText.MIME, 1));
        assertEquals("", get(m, SectionText.NONE, 2));
        assertEquals("", get(m, SectionText.NONE, 1, 1));
    }

    @Test
    void headerFieldsInMessageOrderWithBlankLine() {
        byte[] m = crlf("Subject: a", "From: x@y", "X-Long: one", " two", "subject: b", "", "body");
        assertEquals("Subject: a\r\nsubject: b\r\n\r\n", get(m, SectionText.HEADER_FIELDS, List.of("SUBJECT")));
        assertEquals("From: x@y\r\nX-Long: one\r\n two\r\n\r\n",
                get(m, SectionText.HEADER_FIELDS, List.of("x-long", "FROM")));
        assertEquals("From: x@y\r\nX-Long: one\r\n two\r\n\r\n",
                get(m, SectionText.HEADER_FIELDS_NOT, List.of("Subject")));
        assertEquals("\r\n", get(m, SectionText.HEADER_FIELDS, List.of("Nope")));
        assertInstanceOf(SectionExtractor.Copy.class,
                SectionExtractor.extract(m, new Section(List.of(), SectionText.HEADER_FIELDS, List.of("a"))));
    }

    @Test
    void multipartParts() {
        byte[] m = Messages.MIXED;
        assertEquals("See attached.", get(m, SectionText.NONE, 1));
        assertEquals("Content-Type: text/plain\r\n\r\n", get(m, SectionText.MIME, 1));
        assertEquals("JVBERi0xLjQK", get(m, SectionText.NONE, 2));
        assertEquals("", get(m, SectionText.NONE, 3));
        assertEquals("", get(m, SectionText.NONE, 0));
        assertEquals("", get(m, SectionText.NONE, 1, 1));
    }

    @Test
    void nestedMessageParts() {
        byte[] m = Messages.NESTED;
        String s = new String(m, StandardCharsets.UTF_8);
        String inner = s.substring(s.indexOf("From: inner"), s.indexOf("\r\n--o--"));
        assertEquals(inner, get(m, SectionText.NONE, 2));
        assertEquals("Content-Type: message/rfc822\r\n\r\n", get(m, SectionText.MIME, 2));
        assertEquals(inner.substring(0, inner.indexOf("\r\n\r\n") + 4), get(m, SectionText.HEADER, 2));
        assertEquals(inner.substring(inner.indexOf("\r\n\r\n") + 4), get(m, SectionText.TEXT, 2));
        assertEquals("Subject: inner\r\n\r\n", get(m, SectionText.HEADER_FIELDS, List.of("subject"), 2));
        assertEquals("inner text", get(m, SectionText.NONE, 2, 1));
        assertEquals("<b>inner</b>", get(m, SectionText.NONE, 2, 2));
        assertEquals("Content-Type: text/html\r\n\r\n", get(m, SectionText.MIME, 2, 2));
        assertEquals("", get(m, SectionText.NONE, 2, 3));
        assertEquals("", get(m, SectionText.NONE, 2, 1, 1));
    }

    @Test
    void messageRfc822WithSinglePartInner() {
        byte[] m = crlf("Content-Type: message/rfc822", "", "Subject: in", "", "hello", "");
        assertEquals("Subject: in\r\n\r\nhello\r\n", get(m, SectionText.NONE, 1));
        assertEquals("hello\r\n", get(m, SectionText.NONE, 1, 1));
        assertEquals("Subject: in\r\n\r\n", get(m, SectionText.HEADER, 1));
    }

    @Test
    void partialRanges() {
        SectionExtractor.Result r = new SectionExtractor.Slice(10, 5);
        assertEquals(new SectionExtractor.Slice(12, 3), r.partial(2, 100));
        assertEquals(new SectionExtractor.Slice(15, 0), r.partial(9, 1));
        assertEquals(2, new SectionExtractor.Copy(new byte[] {1, 2, 3}).partial(1, 5).length());
    }

    @Test
    void headerLengthForms() {
        assertEquals(2, SectionExtractor.headerLength(crlf("", "body")));
        assertEquals(1, SectionExtractor.headerLength("\nbody".getBytes()));
        assertEquals(5, SectionExtractor.headerLength("a:b\n\nbody".getBytes()));
        assertEquals(7, SectionExtractor.headerLength("a:b\r\nc:".getBytes()));
        assertEquals(0, SectionExtractor.headerLength(new byte[0]));
        assertEquals(0, SectionExtractor.headerLength(null));
    }
}
