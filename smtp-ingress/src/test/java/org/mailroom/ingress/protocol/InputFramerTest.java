package org.mailroom.ingress.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same transcript fed 1, 2, 4 … 512 octets at a time yields the same frames (STYLE.md #8). */
class InputFramerTest {

    /** Frames a whole conversation, switching to DATA after a "DATA" line and to CHUNK after "BDAT n". */
    static List<String> frames(byte[] input, int step, int maxLine, long maxSize) {
        InputFramer f = new InputFramer(maxLine, maxSize);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < input.length; i += step) {
            f.feed(Arrays.copyOfRange(input, i, Math.min(input.length, i + step)));
            InputFramer.Frame frame;
            while ((frame = f.next()) != null) {
                if (frame instanceof InputFramer.Line l) {
                    out.add("L:" + l.text());
                    if (l.text().equals("DATA")) {
                        f.startData();
                    } else if (l.text().startsWith("BDAT ")) {
                        String[] p = l.text().split(" ");
                        f.startChunk(Long.parseLong(p[1]), !out.contains("chunked"));
                        out.add("chunked");
                    }
                } else if (frame instanceof InputFramer.LineTooLong) {
                    out.add("TOO-LONG");
                } else if (frame instanceof InputFramer.Body b) {
                    out.add("B:" + b.size() + (b.overflow() ? ":overflow" : "") + (b.smuggling() ? ":smuggling" : "")
                            + ":" + new String(f.takeMessage(), UTF_8).replace("\r", "\\r").replace("\n", "\\n"));
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 512})
    void everyFragmentSizeGivesTheSameFrames(int step) {
        String transcript = "EHLO client\r\nMAIL FROM:<a@b.c>\r\nDATA\r\nSubject: x\r\n\r\n..stuffed\r\n.\r\n"
                + "line after\r\nBDAT 5 LAST\r\nab\r\ncQUIT\r\n";
        List<String> expected = frames(transcript.getBytes(UTF_8), transcript.length(), 512, 1000);
        assertEquals(List.of("L:EHLO client", "L:MAIL FROM:<a@b.c>", "L:DATA",
                "B:24:Subject: x\\r\\n\\r\\n.stuffed\\r\\n", "L:line after", "L:BDAT 5 LAST", "chunked",
                "B:5:ab\\r\\nc", "L:QUIT"), expected);
        assertEquals(expected, frames(transcript.getBytes(UTF_8), step, 512, 1000));
    }

    @Test
    void emptyBodyAndDotOnlyLines() {
        assertEquals(List.of("L:DATA", "B:0:"), frames("DATA\r\n.\r\n".getBytes(UTF_8), 1, 512, 100));
        assertEquals(List.of("L:DATA", "B:3:.\\r\\n"), frames("DATA\r\n..\r\n.\r\n".getBytes(UTF_8), 1, 512, 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\n.\nb\r\n.\r\n", "a\r\n.\nb\r\n.\r\n", "a\n.\r\nb\r\n.\r\n", "a\r.\r\nb\r\n.\r\n",
        "a\r\n.\rb\r\n.\r\n", "a\r.\rb\r\n.\r\n"})
    void loneDotWithBareLineEndIsFlaggedAtEveryFragmentSize(String body) {
        for (int step : new int[] {1, 2, 3, 5, 64}) {
            List<String> frames = frames(("DATA\r\n" + body).getBytes(UTF_8), step, 512, 1000);
            assertEquals(2, frames.size(), frames.toString());
            assertTrue(frames.get(1).contains(":smuggling"), body + " at " + step + ": " + frames);
        }
    }

    @Test
    void bareLineEndsAwayFromADotAreKeptAsIs() {
        List<String> frames = frames("DATA\r\na\nb\rc\r\n.\r\n".getBytes(UTF_8), 1, 512, 1000);
        assertEquals("B:7:a\\nb\\rc\\r\\n", frames.get(1));
    }

    @Test
    void oversizedMessageIsCountedNotHeld() {
        byte[] big = new byte[10_000];
        Arrays.fill(big, (byte) 'x');
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes("DATA\r\n".getBytes(UTF_8));
        in.writeBytes(big);
        in.writeBytes("\r\n.\r\nNOOP\r\n".getBytes(UTF_8));
        List<String> frames = frames(in.toByteArray(), 700, 512, 1000);
        assertEquals("B:10002:overflow:", frames.get(1));
        assertEquals("L:NOOP", frames.get(2));
    }

    /** Declared sizes are reserved whole at DATA: of six bodies of 300 kB in 1 MB, three are kept, in turn. */
    @Test
    void declaredSizesAreReservedWholeSoSomeSucceedRatherThanAllStarving() {
        MemoryBudget budget = new MemoryBudget(1_000_000);
        byte[] line = ("y".repeat(998) + "\r\n").getBytes(UTF_8);
        int lines = 300;
        List<InputFramer> framers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            InputFramer f = new InputFramer(2048, 1_000_000, budget);
            f.startData(lines * line.length);
            framers.add(f);
        }
        for (int n = 0; n < lines; n++) { // interleaved, as concurrent sessions arrive
            for (InputFramer f : framers) {
                f.feed(line);
                assertEquals(null, f.next());
            }
        }
        int kept = 0;
        for (InputFramer f : framers) {
            f.feed(".\r\n".getBytes(UTF_8));
            InputFramer.Body body = (InputFramer.Body) f.next();
            byte[] message = f.takeMessage();
            if (!body.starved()) {
                kept++;
                assertEquals(lines * line.length, message.length);
            } else {
                assertEquals(0, message.length);
            }
        }
        assertEquals(3, kept, "the first three to start hold their declared 300 kB; the rest are refused");
        framers.forEach(InputFramer::releaseBody);
        assertEquals(0, budget.used());
    }

    @Test
    void bodiesShareOneMemoryBudget() {
        MemoryBudget budget = new MemoryBudget(200_000); // reserved in 64 KiB steps: room for one 80 kB body, not two
        InputFramer a = new InputFramer(512, 1_000_000, budget);
        InputFramer b = new InputFramer(512, 1_000_000, budget);
        a.startData();
        b.startData();
        byte[] big = ("x".repeat(80_000) + "\r\n").getBytes(UTF_8);
        a.feed(big);
        assertEquals(null, a.next());
        b.feed(big);
        b.feed(".\r\n".getBytes(UTF_8));
        InputFramer.Body starved = (InputFramer.Body) b.next();
        assertTrue(starved.starved(), "the second body does not fit beside the first");
        assertEquals(0, b.takeMessage().length);
        b.releaseBody();
        a.feed(".\r\n".getBytes(UTF_8));
        InputFramer.Body kept = (InputFramer.Body) a.next();
        assertFalse(kept.starved());
        assertEquals(80_002, a.takeMessage().length);
        assertTrue(budget.used() > 0);
        a.releaseBody();
        assertEquals(0, budget.used());
    }

    @Test
    void longLinesAreReportedOnceAndSkipped() {
        String longLine = "NOOP " + "x".repeat(3000);
        for (int step : new int[] {1, 7, 512}) {
            assertEquals(List.of("TOO-LONG", "L:QUIT"), frames((longLine + "\r\nQUIT\r\n").getBytes(UTF_8), step, 512, 100));
        }
    }

    @Test
    void bufferedInputIsVisibleAndDiscardable() {
        InputFramer f = new InputFramer(512, 100);
        f.feed("STARTTLS\r\nMAIL FROM:<evil@x>\r\n".getBytes(UTF_8));
        assertEquals(new InputFramer.Line("STARTTLS"), f.next());
        assertTrue(f.buffered() > 0);
        f.discardBuffered();
        assertEquals(0, f.buffered());
        assertEquals(null, f.next());
        assertFalse(f.mode() != InputFramer.Mode.LINE);
    }
}
