package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mailroom.mailbox.imap.parse.Wire.error;
import static org.mailroom.mailbox.imap.parse.Wire.ok;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FetchParserTest {

    private static final FetchItem FLAGS = new FetchItem.Simple(FetchItem.Attribute.FLAGS);
    private static final FetchItem INTERNALDATE = new FetchItem.Simple(FetchItem.Attribute.INTERNALDATE);
    private static final FetchItem SIZE = new FetchItem.Simple(FetchItem.Attribute.RFC822_SIZE);
    private static final FetchItem ENVELOPE = new FetchItem.Simple(FetchItem.Attribute.ENVELOPE);
    private static final FetchItem BODY = new FetchItem.Simple(FetchItem.Attribute.BODY);

    private static List<FetchItem> items(String items) {
        return ok(ImapCommand.Fetch.class, "a1 FETCH 1:* " + items).items();
    }

    private static FetchItem section(String item) {
        List<FetchItem> items = items(item);
        assertEquals(1, items.size());
        return items.get(0);
    }

    private static FetchItem.BodySection body(boolean peek, List<Integer> part, FetchItem.SectionText text,
                                              List<String> fields, FetchItem.Partial partial) {
        return new FetchItem.BodySection(peek, new FetchItem.Section(part, text, fields), Optional.ofNullable(partial));
    }

    @Test
    void macros() {
        assertEquals(List.of(FLAGS, INTERNALDATE, SIZE, ENVELOPE), items("ALL"));
        assertEquals(List.of(FLAGS, INTERNALDATE, SIZE), items("fast"));
        assertEquals(List.of(FLAGS, INTERNALDATE, SIZE, ENVELOPE, BODY), items("FULL"));
        error("a1 FETCH 1 (ALL)");
    }

    @Test
    void simpleAttributes() {
        assertEquals(List.of(FLAGS, INTERNALDATE, SIZE, ENVELOPE, BODY,
                        new FetchItem.Simple(FetchItem.Attribute.BODYSTRUCTURE),
                        new FetchItem.Simple(FetchItem.Attribute.UID),
                        new FetchItem.Simple(FetchItem.Attribute.RFC822),
                        new FetchItem.Simple(FetchItem.Attribute.RFC822_HEADER),
                        new FetchItem.Simple(FetchItem.Attribute.RFC822_TEXT)),
                items("(FLAGS internaldate RFC822.SIZE ENVELOPE BODY BODYSTRUCTURE UID RFC822 RFC822.HEADER RFC822.TEXT)"));
        assertEquals(List.of(FLAGS), items("FLAGS"));
    }

    @Test
    void sections() {
        assertEquals(body(false, List.of(), FetchItem.SectionText.NONE, List.of(), null), section("BODY[]"));
        assertEquals(body(true, List.of(), FetchItem.SectionText.HEADER, List.of(), null), section("BODY.PEEK[HEADER]"));
        assertEquals(body(true, List.of(), FetchItem.SectionText.HEADER_FIELDS, List.of("From", "Subject", "X-Spam"), null),
                section("BODY.PEEK[HEADER.FIELDS (From Subject \"X-Spam\")]"));
        assertEquals(body(false, List.of(), FetchItem.SectionText.HEADER_FIELDS_NOT, List.of("Received"), null),
                section("BODY[header.fields.not (Received)]"));
        assertEquals(body(false, List.of(), FetchItem.SectionText.TEXT, List.of(), null), section("BODY[TEXT]"));
        assertEquals(body(false, List.of(1, 2, 3), FetchItem.SectionText.NONE, List.of(), null), section("BODY[1.2.3]"));
        assertEquals(body(false, List.of(1, 2), FetchItem.SectionText.HEADER, List.of(), null), section("BODY[1.2.HEADER]"));
        assertEquals(body(false, List.of(4), FetchItem.SectionText.MIME, List.of(), null), section("BODY[4.MIME]"));
        assertEquals(body(false, List.of(3), FetchItem.SectionText.HEADER_FIELDS, List.of("To"), null),
                section("BODY[3.HEADER.FIELDS (To)]"));
        assertEquals(body(true, List.of(), FetchItem.SectionText.NONE, List.of(), new FetchItem.Partial(0, 1024)),
                section("BODY.PEEK[]<0.1024>"));
        assertEquals(body(false, List.of(2), FetchItem.SectionText.TEXT, List.of(), new FetchItem.Partial(100, 5)),
                section("BODY[2.TEXT]<100.5>"));
    }

    @Test
    void aThunderbirdFetch() {
        List<FetchItem> items = items("(UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date "
                + "Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])");
        assertEquals(4, items.size());
        assertEquals(14, ((FetchItem.BodySection) items.get(3)).section().fields().size());
    }

    @Test
    void malformedFetches() {
        error("a1 FETCH 1");
        error("a1 FETCH 1 ()");
        error("a1 FETCH 1 (FLAGS");
        error("a1 FETCH 1 BODY[MIME]");
        error("a1 FETCH 1 BODY[0]");
        error("a1 FETCH 1 BODY[1.]");
        error("a1 FETCH 1 BODY[HEADER.FIELDS]");
        error("a1 FETCH 1 BODY[HEADER.FIELDS ()]");
        error("a1 FETCH 1 BODY[TEXT");
        error("a1 FETCH 1 BODY[]<0.0>");
        error("a1 FETCH 1 BODY[]<1>");
        error("a1 FETCH 1 BODY.PEEK");
        error("a1 FETCH 1 BINARY[1]");
        error("a1 FETCH 1 BODY[1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33]");
    }
}
