package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property test: for random transcripts (lines, literals of both kinds, some over the
 * limits), any chunking of the bytes yields exactly the events of feeding them at once.
 */
class FramerChunkingTest {

    @Test
    void anyChunkingYieldsTheSameEvents() {
        Random random = new Random(7888);
        for (int n = 0; n < 300; n++) {
            byte[] wire = transcript(random);
            List<FramerEvent> whole = framer().feed(wire);
            ImapFramer chunked = framer();
            List<FramerEvent> events = new ArrayList<>();
            int i = 0;
            while (i < wire.length) {
                int size = 1 + random.nextInt(random.nextBoolean() ? 4 : 600);
                int end = Math.min(wire.length, i + size);
                events.addAll(chunked.feed(Arrays.copyOfRange(wire, i, end)));
                i = end;
            }
            assertEquals(whole, events, "transcript " + n);
        }
    }

    private static ImapFramer framer() {
        return new ImapFramer(200, 300, 1000);
    }

    private static byte[] transcript(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int commands = 1 + random.nextInt(12);
        for (int c = 0; c < commands; c++) {
            write(out, "t" + c + " APPEND INBOX");
            int literals = random.nextInt(3);
            for (int l = 0; l < literals; l++) {
                int size = random.nextInt(random.nextInt(10) == 0 ? 2000 : 100);
                write(out, " {" + size + (random.nextBoolean() ? "+" : "") + "}\r\n");
                byte[] data = new byte[size];
                random.nextBytes(data);
                out.writeBytes(data);
            }
            if (random.nextInt(10) == 0) {
                write(out, " " + "x".repeat(random.nextInt(400)));
            }
            write(out, random.nextBoolean() ? "\r\n" : "\n");
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
