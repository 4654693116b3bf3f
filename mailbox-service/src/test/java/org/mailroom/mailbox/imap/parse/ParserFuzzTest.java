package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random input (no jqwik dependency): the framer and parser never throw and always answer.
 * Inputs are mutations of valid commands plus token soup, so they reach deep into the grammar.
 */
class ParserFuzzTest {

    private static final String[] SEEDS = {
            "a1 LOGIN alice \"pw\"", "a1 SELECT INBOX", "a1 LIST \"\" *", "a1 STATUS INBOX (MESSAGES UNSEEN)",
            "a1 FETCH 1:* (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (From To)]<0.100>)", "a1 UID FETCH 1,3:5 ALL",
            "a1 SEARCH CHARSET UTF-8 OR (FROM x SINCE 1-Jan-2024) NOT UID 1:* HEADER X-A \"\"",
            "a1 STORE 1 +FLAGS.SILENT (\\Seen $Junk)", "a1 UID MOVE 1:* Trash", "a1 ID (\"name\" NIL)",
            "a1 ENABLE UTF8=ACCEPT", "a1 AUTHENTICATE PLAIN AGE=", "a1 APPEND INBOX (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {3}",
            "DONE", "a1 UID EXPUNGE 4:2", "a1 RENAME a b",
    };
    private static final String[] SOUP = {
            " ", "(", ")", "[", "]", "<", ">", "\"", "\\", "{", "}", "*", "%", ":", ",", ".", "+", "-", "0", "1",
            "4294967296", "NIL", "BODY", "HEADER.FIELDS", "NOT", "OR", "UID", "FETCH", "{3}", "{2+}", "é", "\u0000",
            "INBOX", "FLAGS", "\r", "&",
    };

    @Test
    void neverThrows() {
        Random random = new Random(Long.getLong("fuzz.seed", 20260601L));
        for (int n = 0; n < Integer.getInteger("fuzz.iterations", 5_000); n++) {
            String input = n % 3 == 0 ? soup(random) : mutate(SEEDS[random.nextInt(SEEDS.length)], random);
            byte[] bytes = (input + "\r\n").getBytes(StandardCharsets.UTF_8);
            ImapFramer framer = new ImapFramer(256, 64, 1024);
            List<FramerEvent> events = new ArrayList<>(framer.feed(bytes));
            events.addAll(framer.feed("abcdefghij\r\n".getBytes(StandardCharsets.US_ASCII)));
            for (FramerEvent event : events) {
                if (event instanceof FramerEvent.Command) {
                    assertNotNull(ImapParser.parse(((FramerEvent.Command) event).command()), input);
                }
            }
            assertNotNull(ImapParser.parse(input.replace("\r", "").replace("\n", "")));
        }
    }

    @Test
    void randomOctetsNeverThrow() {
        Random random = new Random(3501);
        for (int n = 0; n < 5_000; n++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            ImapFramer framer = new ImapFramer(64, 64, 512);
            for (FramerEvent event : framer.feed(bytes)) {
                if (event instanceof FramerEvent.Command) {
                    assertNotNull(ImapParser.parse(((FramerEvent.Command) event).command()));
                }
            }
            assertNotNull(ImapParser.parse(new RawCommand(List.of(new RawCommand.Line(bytes)))));
        }
    }

    private static String soup(Random random) {
        StringBuilder sb = new StringBuilder("a1 ");
        int length = random.nextInt(20);
        for (int i = 0; i < length; i++) {
            sb.append(SOUP[random.nextInt(SOUP.length)]);
        }
        return sb.toString();
    }

    private static String mutate(String seed, Random random) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(4)) {
                case 0: sb.deleteCharAt(at); break;
                case 1: sb.insert(at, SOUP[random.nextInt(SOUP.length)]); break;
                case 2: sb.setCharAt(at, (char) (0x20 + random.nextInt(0x5f))); break;
                default: sb.setLength(at); break;
            }
        }
        return sb.toString();
    }
}
