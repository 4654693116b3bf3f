package org.mailroom.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** What a rejection carries for the DSN: the envelope's DSN facts and a bounded header section. */
class OriginalTest {

    private static String section(String message) {
        return new String(StatusEvent.Original.headerSection(message.getBytes(UTF_8)), UTF_8);
    }

    @Test
    void theHeaderSectionEndsAtTheFirstEmptyLine() {
        assertEquals("A: 1\r\nB: 2\r\n", section("A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore"));
        assertEquals("A: 1\n", section("A: 1\n\nbody"));
        assertEquals("A: 1\r\n", section("A: 1\r\n"), "no body: all of it");
        assertEquals("", section("\r\nbody"), "no header at all");
        assertEquals("", section(""));
    }

    @Test
    void aLongHeaderSectionIsCutWhereAFieldEnds() {
        byte[] s = "A: 1\r\nB: two\r\n three\r\nC: 3\r\n".getBytes(UTF_8);
        // 20 octets would end inside B's folded continuation: the cut goes back to the end of A.
        assertEquals("A: 1\r\n", new String(StatusEvent.Original.bounded(s, 20), UTF_8));
        assertEquals("A: 1\r\nB: two\r\n three\r\n", new String(StatusEvent.Original.bounded(s, 23), UTF_8));
        assertEquals("", new String(StatusEvent.Original.bounded(s, 3), UTF_8), "one field longer than the bound");
        assertEquals(s.length, StatusEvent.Original.bounded(s, s.length).length);
    }

    @Test
    void ofKeepsTheEnvelopeFactsAndAtMost64KiBOfHeaders() {
        StringBuilder m = new StringBuilder();
        while (m.length() < 100_000) {
            m.append("X-Filler: ").append("é".repeat(30)).append("\r\n");
        }
        m.append("\r\nbody\r\n");
        byte[] message = m.toString().getBytes(UTF_8);
        Envelope env = Samples.envelope().withSize(message.length);
        Recipient rcpt = new Recipient("alice@example.test", EnumSet.of(Recipient.Notify.FAILURE), "rfc822;alice@example.test");
        StatusEvent.Original o = StatusEvent.Original.of(env, rcpt, message);
        assertEquals("bob@example.net", o.mailFrom());
        assertEquals(rcpt, o.recipient());
        assertEquals(Envelope.Ret.HDRS, o.ret());
        assertEquals("QQ314159", o.envid());
        assertEquals(env.receivedAt(), o.receivedAt());
        assertTrue(o.headersTruncated());
        byte[] kept = o.headers().getBytes(UTF_8);
        assertTrue(kept.length <= StatusEvent.Original.MAX_HEADER_OCTETS, "bounded: " + kept.length);
        assertTrue(kept.length > StatusEvent.Original.MAX_HEADER_OCTETS - 200, "nearly all of the bound is used");
        assertTrue(o.headers().endsWith("\r\n") && !o.headers().contains("\uFFFD"), "cut at a field, no split UTF-8");
        assertFalse(o.headers().contains("body"));

        StatusEvent.Original small = StatusEvent.Original.of(Samples.envelope(), rcpt, Samples.MESSAGE);
        assertFalse(small.headersTruncated());
        assertTrue(small.headers().startsWith("Received: ") && small.headers().endsWith("Subject: =?UTF-8?B?w6nDqMOg?=\r\n"));
    }
}
