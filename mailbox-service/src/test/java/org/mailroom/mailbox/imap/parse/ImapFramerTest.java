package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ImapFramerTest {

    private static final String TRANSCRIPT = String.join("",
            "a1 CAPABILITY\r\n",
            "a2 LOGIN {5}\r\nalice {6+}\r\nsecret\r\n",
            "a3 SELECT \"Entwürfe\"\r\n",
            "a4 APPEND INBOX (\\Seen) {13}\r\nHi\r\n\r\n{3}\r\nok\r\n",
            "a5 APPEND INBOX {0}\r\n\r\n",
            "a6 FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From To)])\n",
            "a7 SEARCH CHARSET UTF-8 SUBJECT {2+}\r\n\u00e9\r\n",
            "a8 IDLE\r\nDONE\r\n",
            "a9 UID STORE 1:5 +FLAGS.SILENT (\\Deleted)\r\n",
            "b1 LOGOUT\r\n");

    private static List<FramerEvent> feedInChunks(ImapFramer framer, byte[] bytes, int chunk) {
        List<FramerEvent> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk) {
            events.addAll(framer.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk))));
        }
        return events;
    }

    private static List<FramerEvent> feed(ImapFramer framer, String wire) {
        return framer.feed(wire.getBytes(StandardCharsets.UTF_8));
    }

    private static List<ParseResult> parsed(List<FramerEvent> events) {
        return events.stream().filter(e -> e instanceof FramerEvent.Command)
                .map(e -> ImapParser.parse(((FramerEvent.Command) e).command())).collect(Collectors.toList());
    }

    @Test
    void sameCommandsWhateverTheChunkSize() {
        byte[] bytes = TRANSCRIPT.getBytes(StandardCharsets.UTF_8);
        List<FramerEvent> whole = Wire.framer().feed(bytes);
        assertEquals(11, whole.stream().filter(e -> e instanceof FramerEvent.Command).count(), whole::toString);
        assertEquals(3, whole.stream().filter(e -> e instanceof FramerEvent.NeedContinuation).count());
        List<ParseResult> commands = parsed(whole);
        commands.forEach(c -> assertInstanceOf(ImapCommand.class, c, c::toString));
        assertEquals(new ImapCommand.Done(), commands.get(8));
        for (int chunk : new int[] {1, 2, 3, 4, 5, 7, 8, 16, 32, 64, 128, 256, 512}) {
            assertEquals(whole, feedInChunks(Wire.framer(), bytes, chunk), "chunk size " + chunk);
        }
    }

    @Test
    void continuationIsRequestedBeforeTheLiteralOctets() {
        ImapFramer framer = Wire.framer();
        assertEquals(List.of(new FramerEvent.NeedContinuation(Optional.of("a1"), 5)), feed(framer, "a1 LOGIN {5}\r\n"));
        assertEquals(List.of(), feed(framer, "ali"));
        List<FramerEvent> events = feed(framer, "ce pw\r\n");
        assertEquals(List.of(new RawCommand.Line("a1 LOGIN ".getBytes()),
                        new RawCommand.Literal("alice".getBytes(), true), new RawCommand.Line(" pw".getBytes())),
                ((FramerEvent.Command) events.get(0)).command().parts());
    }

    @Test
    void literalPlusAsksForNoContinuation() {
        List<FramerEvent> events = feed(Wire.framer(), "a1 LOGIN {5+}\r\nalice pw\r\n");
        assertEquals(1, events.size());
        assertInstanceOf(FramerEvent.Command.class, events.get(0));
    }

    @Test
    void synchronisingLiteralTooBigIsRefusedBeforeContinuation() {
        ImapFramer framer = new ImapFramer(1000, 100, 10_000);
        List<FramerEvent> events = feed(framer, "a1 APPEND INBOX {101}\r\na2 NOOP\r\n");
        assertEquals(new FramerEvent.TooBig(Optional.of("a1"), FramerEvent.Limit.LITERAL, 101, true, false), events.get(0));
        assertEquals("a1 NO [TOOBIG] literal too big", ((FramerEvent.TooBig) events.get(0)).replyLine());
        assertEquals(List.of(new ImapCommand.Noop("a2")), parsed(events));
        assertEquals(2, events.size());
    }

    @Test
    void literalPlusTooBigIsSkippedWithoutBeingHeld() {
        ImapFramer framer = new ImapFramer(1000, 100, 10_000);
        String evil = "x LOGOUT\r\n".repeat(50); // 500 octets that must not be read as commands
        List<FramerEvent> events = new ArrayList<>(feed(framer, "a1 APPEND INBOX {500+}\r\n"));
        events.addAll(feed(framer, evil));
        events.addAll(feed(framer, " {3+}\r\nabc more\r\na2 NOOP\r\n"));
        assertEquals(new FramerEvent.TooBig(Optional.of("a1"), FramerEvent.Limit.LITERAL, 500, false, false), events.get(0));
        assertEquals("a1 BAD [TOOBIG] literal too big", ((FramerEvent.TooBig) events.get(0)).replyLine());
        assertEquals(List.of(new ImapCommand.Noop("a2")), parsed(events));
    }

    @Test
    void commandTooBigAcrossLiterals() {
        ImapFramer framer = new ImapFramer(128, 100, 150);
        List<FramerEvent> events = feed(framer, "a1 LOGIN {80+}\r\n" + "u".repeat(80) + " {80+}\r\n" + "p".repeat(80)
                + "\r\na2 NOOP\r\n");
        assertEquals(FramerEvent.Limit.COMMAND, ((FramerEvent.TooBig) events.get(0)).limit());
        assertEquals(List.of(new ImapCommand.Noop("a2")), parsed(events));
    }

    @Test
    void longLineIsRefusedAndSkipped() {
        ImapFramer framer = new ImapFramer(64, 100, 10_000);
        List<FramerEvent> events = feedInChunks(framer,
                ("a1 SEARCH " + "SEEN ".repeat(100) + "\r\na2 NOOP\r\n").getBytes(StandardCharsets.US_ASCII), 7);
        FramerEvent.TooBig tooBig = assertInstanceOf(FramerEvent.TooBig.class, events.get(0));
        assertEquals(Optional.of("a1"), tooBig.tag());
        assertEquals(FramerEvent.Limit.LINE, tooBig.limit());
        assertEquals(List.of(new ImapCommand.Noop("a2")), parsed(events));
    }

    @Test
    void longLineEndingInLiteralPlusSkipsTheLiteralToo() {
        ImapFramer framer = new ImapFramer(64, 100, 10_000);
        List<FramerEvent> events = feed(framer, "a1 LOGIN " + "u".repeat(100) + " {10+}\r\na3 LOGOUT\r\na2 NOOP\r\n");
        assertInstanceOf(FramerEvent.TooBig.class, events.get(0));
        assertEquals(List.of(new ImapCommand.Noop("a2")), parsed(events));
    }

    @Test
    void lineOfExactlyTheMaximumIsAccepted() {
        ImapFramer framer = new ImapFramer(20, 100, 10_000);
        String line = "a1 LOGIN user passwd"; // 20 octets
        assertEquals(20, line.length());
        assertEquals(List.of(new ImapCommand.Login("a1", "user", "passwd")), parsed(feed(framer, line + "\r\n")));
        assertInstanceOf(FramerEvent.TooBig.class, feed(framer, line + "x\r\n").get(0));
        assertInstanceOf(FramerEvent.TooBig.class, feed(framer, line + "x\n").get(0));
        assertEquals(1, parsed(feed(framer, "a2 NOOP\r\n")).size());
    }

    @Test
    void absurdLiteralPlusSizeClosesTheConnection() {
        ImapFramer framer = new ImapFramer(1000, 100, 10_000);
        List<FramerEvent> events = feed(framer, "a1 APPEND INBOX {99999999999999999999+}\r\na2 NOOP\r\n");
        assertEquals(new FramerEvent.TooBig(Optional.of("a1"), FramerEvent.Limit.LITERAL, Long.MAX_VALUE, false, true), events.get(0));
        assertEquals(1, events.size());
        assertEquals(List.of(), feed(framer, "a3 NOOP\r\n"));
    }

    @Test
    void absurdLiteralPlusAfterALongLineClosesTheConnectionToo() {
        ImapFramer framer = new ImapFramer(32, 100, 10_000);
        List<FramerEvent> events = feed(framer, "a1 LOGIN " + "u".repeat(40) + " {99999999999999999999+}\r\na2 NOOP\r\n");
        assertEquals(List.of(new FramerEvent.TooBig(Optional.of("a1"), FramerEvent.Limit.LINE, 33, false, false),
                new FramerEvent.TooBig(Optional.of("a1"), FramerEvent.Limit.LITERAL, Long.MAX_VALUE, false, true)), events);
    }

    @Test
    void untaggedWhenTheTagIsUnreadable() {
        ImapFramer framer = new ImapFramer(32, 100, 10_000);
        FramerEvent.TooBig tooBig = assertInstanceOf(FramerEvent.TooBig.class, feed(framer, "x".repeat(40) + "\r\n").get(0));
        assertEquals(Optional.empty(), tooBig.tag());
        assertEquals("* BAD [TOOBIG] command line too long", tooBig.replyLine());
    }

    @Test
    void memoryStaysBoundedUnderAFlood() {
        ImapFramer framer = new ImapFramer(1024, 1024, 4096);
        byte[] flood = new byte[64 * 1024];
        Arrays.fill(flood, (byte) 'A');
        int tooBig = 0;
        for (int i = 0; i < 16; i++) {
            tooBig += feed(framer, "").size() + framer.feed(flood).size();
        }
        assertEquals(1, tooBig);
        assertEquals(List.of(new ImapCommand.Noop("a2")), parsed(feed(framer, "\r\na2 NOOP\r\n")));
    }

    @Test
    void literalBytesAreKeptExactly() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] binary = new byte[256];
        for (int i = 0; i < 256; i++) {
            binary[i] = (byte) i;
        }
        wire.writeBytes("a1 APPEND INBOX {256}\r\n".getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(binary);
        wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        List<FramerEvent> events = Wire.framer().feed(wire.toByteArray());
        ImapCommand.Append append = assertInstanceOf(ImapCommand.Append.class, parsed(events).get(0));
        assertTrue(Arrays.equals(binary, append.message()));
    }
}
