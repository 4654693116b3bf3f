package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: frame wire text, parse it, expect success or failure. */
final class Wire {

    private Wire() {
    }

    static ImapFramer framer() {
        return new ImapFramer(8192, 1 << 20, 2 << 20);
    }

    /** Frames wire text (CRLF written as \r\n) that holds exactly one command. */
    static RawCommand frame(String wire) {
        List<FramerEvent> events = framer().feed(wire.getBytes(StandardCharsets.UTF_8));
        List<RawCommand> commands = events.stream()
                .filter(e -> e instanceof FramerEvent.Command)
                .map(e -> ((FramerEvent.Command) e).command())
                .collect(Collectors.toList());
        assertEquals(1, commands.size(), () -> "one command expected from " + events);
        return commands.get(0);
    }

    /** Parses one wire command (a single line gets its CRLF added) and expects a command of {@code type}. */
    static <T extends ImapCommand> T ok(Class<T> type, String wire) {
        ParseResult result = ImapParser.parse(frame(wire.contains("\r\n") ? wire : wire + "\r\n"));
        return assertInstanceOf(type, result, () -> "for " + wire + ": " + result);
    }

    static ParseError error(String wire) {
        ParseResult result = ImapParser.parse(frame(wire.contains("\r\n") ? wire : wire + "\r\n"));
        return assertInstanceOf(ParseError.class, result, () -> "for " + wire + ": " + result);
    }
}
