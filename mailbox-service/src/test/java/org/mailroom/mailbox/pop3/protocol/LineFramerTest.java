package org.mailroom.mailbox.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private static final String TRANSCRIPT = "CAPA\r\nUSER alice@example.test\r\nPASS s\u00e9cret with spaces\r\n"
            + "STAT\nLIST 1\r\n\r\nRETR 2\r\n" + "X".repeat(300) + "\r\nTOP 1 10\r\nQUIT\r\n";

    private static final List<LineFramer.Frame> EXPECTED = List.of(
            new LineFramer.Line("CAPA"), new LineFramer.Line("USER alice@example.test"),
            new LineFramer.Line("PASS s\u00e9cret with spaces"), new LineFramer.Line("STAT"),
            new LineFramer.Line("LIST 1"), new LineFramer.Line(""), new LineFramer.Line("RETR 2"),
            new LineFramer.TooLong(), new LineFramer.Line("TOP 1 10"), new LineFramer.Line("QUIT"));

    @Test
    void sameFramesWhateverTheChunkSize() {
        byte[] input = TRANSCRIPT.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= 512; size *= 2) {
            LineFramer framer = new LineFramer(256);
            List<LineFramer.Frame> frames = new ArrayList<>();
            for (int i = 0; i < input.length; i += size) {
                frames.addAll(framer.feed(Arrays.copyOfRange(input, i, Math.min(input.length, i + size))));
            }
            assertEquals(EXPECTED, frames, "chunk size " + size);
            assertEquals(0, framer.buffered());
        }
    }

    @Test
    void aLineOfExactlyTheLimitPassesOneMoreDoesNot() {
        LineFramer framer = new LineFramer(10);
        assertEquals(List.of(new LineFramer.Line("12345678")), framer.feed("12345678\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(new LineFramer.TooLong()), framer.feed("123456789\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void resetDropsThePartialLine() {
        LineFramer framer = new LineFramer(100);
        framer.feed("USER inject".getBytes(StandardCharsets.US_ASCII));
        framer.reset();
        assertEquals(List.of(new LineFramer.Line("CAPA")), framer.feed("CAPA\r\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
