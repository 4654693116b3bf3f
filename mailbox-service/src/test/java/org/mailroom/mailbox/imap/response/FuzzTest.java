package org.mailroom.mailbox.imap.response;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.imap.parse.FetchItem.Section;
import org.mailroom.mailbox.imap.parse.FetchItem.SectionText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeded random, truncated and mutated messages through every public method: nothing throws. */
class FuzzTest {

    private static final String[] PIECES = {"\r\n", "\n", "\r", "--b", "--b--", "--c", ": ", ";", "\"", "<", ">",
        "@", ",", ":", "(", ")", "=?utf-8?q?", "=?UTF-8?B?", "?=", "=C3", "=", " ", "\t", "\0", "\u00ff",
        "Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: message/rfc822\r\n",
        "Content-Type: multipart/digest; boundary=c\r\n", "Content-Transfer-Encoding: base64\r\n",
        "Content-Transfer-Encoding: quoted-printable\r\n", "Content-Disposition: attachment; filename*=x\r\n",
        "From: ", "To: g: a@b, <c@d>;\r\n", "Date: 31 Dec 99\r\n", "Subject: ", "Content-Language: (x)\r\n",
        "text/plain", "charset=\"", "Grüße", "\r\n\r\n"};

    @Test
    void randomMessagesNeverThrow() {
        Random random = new Random(3501);
        List<byte[]> seeds = List.of(Messages.PLAIN, Messages.ALTERNATIVE, Messages.MIXED, Messages.NESTED);
        for (int i = 0; i < 3000; i++) {
            byte[] m = switch (i % 4) {
                case 0 -> pieces(random);
                case 1 -> Arrays.copyOf(seeds.get(random.nextInt(4)), random.nextInt(seeds.get(0).length + 1));
                case 2 -> mutate(seeds.get(random.nextInt(4)), random);
                default -> noise(random);
            };
            byte[] message = m;
            assertDoesNotThrow(() -> exercise(message, random), () -> "message #" + message.length);
        }
    }

    @Test
    void deepNestingIsBounded() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            b.append(i % 2 == 0 ? "Content-Type: message/rfc822\r\n\r\n"
                    : "Content-Type: multipart/mixed; boundary=b" + i + "\r\n\r\n--b" + i + "\r\n");
        }
        byte[] m = b.toString().getBytes(StandardCharsets.US_ASCII);
        assertDoesNotThrow(() -> exercise(m, new Random(1)));
        StringBuilder wide = new StringBuilder("Content-Type: multipart/mixed; boundary=w\r\n\r\n");
        wide.append("--w\r\n\r\n".repeat(50_000));
        byte[] w = wide.toString().getBytes(StandardCharsets.US_ASCII);
        assertTrue(MimePart.parse(w).children.size() < MimePart.MAX_PARTS);
    }

    private static void exercise(byte[] m, Random random) {
        Buffer out = Buffer.buffer();
        EnvelopeEncoder.encode(out, m);
        BodyStructureEncoder.encode(out, m, true);
        BodyStructureEncoder.encode(out, m, false);
        SectionExtractor.headerLength(m);
        List<Integer> part = new ArrayList<>();
        for (int d = random.nextInt(4); d > 0; d--) {
            part.add(random.nextInt(4));
        }
        for (SectionText t : SectionText.values()) {
            SectionExtractor.Result r = SectionExtractor.extract(m,
                    new Section(part, t, List.of("Subject", "from")));
            r.appendTo(out, m);
            r.partial(random.nextInt(10), random.nextInt(10)).toBytes(m);
        }
        SearchText.headerContains(m, "subject", "x");
        SearchText.addressFieldContains(m, "To", "a");
        SearchText.bodyContains(m, "grü");
        SearchText.textContains(m, "b");
        SearchText.sentDate(m);
        ImapWire.nstring(out, m);
        ImapWire.nstring(out, new String(m, StandardCharsets.ISO_8859_1));
        ImapWire.astring(out, new String(m, StandardCharsets.UTF_8));
    }

    private static byte[] pieces(Random random) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(60); n > 0; n--) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString().getBytes(random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] m = seed.clone();
        for (int n = random.nextInt(8) + 1; n > 0 && m.length > 0; n--) {
            m[random.nextInt(m.length)] = (byte) random.nextInt(256);
        }
        return m;
    }

    private static byte[] noise(Random random) {
        byte[] m = new byte[random.nextInt(400)];
        random.nextBytes(m);
        return m;
    }
}
