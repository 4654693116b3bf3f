package org.mailroom.mailbox.imap.response;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.mailbox.imap.response.Messages.crlf;

class SearchTextTest {

    @Test
    void headerDecodedUnfoldedCaseInsensitive() {
        byte[] m = Messages.MIXED;
        assertTrue(SearchText.headerContains(m, "subject", "résumé"));
        assertTrue(SearchText.headerContains(m, "Subject", "RÉSUMÉ"));
        assertFalse(SearchText.headerContains(m, "Subject", "=?UTF-8"));
        assertTrue(SearchText.headerContains(m, "Content-Type", ""));
        assertFalse(SearchText.headerContains(m, "X-Absent", ""));
        assertTrue(SearchText.headerContains(crlf("Subject: one", " two", "", ""), "subject", "one two"));
        assertTrue(SearchText.headerContains("Subject: Gr\u00fc\u00dfe\r\n\r\n".getBytes(StandardCharsets.UTF_8),
                "subject", "GRÜSSE"));
        assertTrue(SearchText.headerContains("Subject: caf\u00e9\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                "subject", "café"));
    }

    @Test
    void addressFields() {
        byte[] m = crlf("From: =?iso-8859-1?q?J=F6rg?= <joerg@example.com>", "To: a@b.example", "", "x");
        assertTrue(SearchText.addressFieldContains(m, "From", "jörg"));
        assertTrue(SearchText.addressFieldContains(m, "FROM", "JOERG@EXAMPLE"));
        assertFalse(SearchText.addressFieldContains(m, "Cc", "a@b"));
        assertTrue(SearchText.addressFieldContains(m, "to", "a@b"));
    }

    @Test
    void bodyDecodesTransferEncodingAndCharset() {
        assertTrue(SearchText.bodyContains(Messages.ALTERNATIVE, "grüße aus köln"));
        assertTrue(SearchText.bodyContains(Messages.ALTERNATIVE, "<P>HI"));
        assertFalse(SearchText.bodyContains(Messages.ALTERNATIVE, "preamble"));
        String b64 = Base64.getMimeEncoder().encodeToString("Straße in Zürich".getBytes(StandardCharsets.ISO_8859_1));
        byte[] m = crlf("Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: base64", "", b64, "");
        assertTrue(SearchText.bodyContains(m, "ZÜRICH"));
        assertTrue(SearchText.bodyContains(m, "strasse"));
        assertFalse(SearchText.bodyContains(m, "Content-Type"));
        assertFalse(SearchText.bodyContains(Messages.MIXED, "JVBERi"));
        assertTrue(SearchText.bodyContains(Messages.NESTED, "INNER TEXT"));
        assertTrue(SearchText.bodyContains(crlf("Subject: x", "", "plain ascii"), "ASCII"));
    }

    @Test
    void textIsHeaderOrBody() {
        assertTrue(SearchText.textContains(Messages.PLAIN, "afternoon"));
        assertTrue(SearchText.textContains(Messages.PLAIN, "tomorrow"));
        assertFalse(SearchText.textContains(Messages.PLAIN, "yesterday"));
        assertTrue(SearchText.textContains(Messages.MIXED, "résumé"));
    }

    @Test
    void sentDateInItsOwnZone() {
        assertEquals(Optional.of(LocalDate.of(1994, 2, 7)), SearchText.sentDate(Messages.PLAIN));
        assertEquals(Optional.of(LocalDate.of(2024, 12, 31)),
                SearchText.sentDate(crlf("Date: 31 Dec 2024 23:30:00 -1000", "", "")));
        assertEquals(Optional.of(LocalDate.of(1999, 1, 2)), SearchText.sentDate(crlf("Date: Sat, 2 Jan 99 1:00 EST", "")));
        assertEquals(Optional.of(LocalDate.of(2003, 1, 2)), SearchText.sentDate(crlf("Date: 2 Jan 03 1:00 GMT", "")));
        assertEquals(Optional.of(LocalDate.of(1994, 2, 7)),
                SearchText.sentDate(crlf("Date: Mon Feb  7 21:52:25 1994", "")));
        assertEquals(Optional.empty(), SearchText.sentDate(crlf("Date: yesterday", "")));
        assertEquals(Optional.empty(), SearchText.sentDate(crlf("Date: 31 Feb 2024", "")));
        assertEquals(Optional.empty(), SearchText.sentDate(crlf("Subject: none", "")));
    }
}
