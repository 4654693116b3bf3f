package org.mailroom.mailbox.imap.response;

import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mailroom.mailbox.imap.response.Messages.crlf;
import static org.mailroom.mailbox.imap.response.Messages.render;

class BodyStructureEncoderTest {

    private static String body(byte[] m) {
        return render(o -> BodyStructureEncoder.encode(o, m, false));
    }

    private static String bodystructure(byte[] m) {
        return render(o -> BodyStructureEncoder.encode(o, m, true));
    }

    /** RFC 3501 §6.4.5 example: {@code BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)}. */
    @Test
    void rfc3501Example() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 92; i++) {
            text.append(i == 0 ? "x".repeat(30 + 84) : "x".repeat(30)).append("\r\n");
        }
        byte[] header = EnvelopeEncoderTest.RFC3501_HEADER;
        byte[] m = (new String(header, StandardCharsets.US_ASCII) + text).getBytes(StandardCharsets.US_ASCII);
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)", body(m));
    }

    @Test
    void plainText() {
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 55 1)", body(Messages.PLAIN));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 55 1 NIL NIL NIL NIL)",
                bodystructure(Messages.PLAIN));
    }

    @Test
    void noContentTypeAndNoBody() {
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0)", body(crlf("Subject: x", "", "")));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0)", body(new byte[0]));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 4 1)",
                body(crlf("Content-Type: garbage", "", "ab", "")));
    }

    @Test
    void multipartAlternative() {
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 31 1)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 9 0) \"ALTERNATIVE\")",
                body(Messages.ALTERNATIVE));
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 31 1 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 9 0 NIL NIL NIL NIL)"
                + " \"ALTERNATIVE\" (\"BOUNDARY\" \"b1\") NIL NIL NIL)", bodystructure(Messages.ALTERNATIVE));
    }

    @Test
    void mixedWithAttachment() {
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 13 0 NIL NIL NIL NIL)"
                + "(\"APPLICATION\" \"PDF\" (\"NAME\" \"cv.pdf\") \"<cv@example.com>\" NIL \"BASE64\" 12"
                + " NIL (\"ATTACHMENT\" (\"FILENAME\" \"cv.pdf\")) (\"en\" \"fr\") NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"outer\") NIL NIL NIL)", bodystructure(Messages.MIXED));
    }

    @Test
    void nestedMessage() {
        String m = new String(Messages.NESTED, StandardCharsets.US_ASCII);
        int size = m.indexOf("\r\n--o--") - m.indexOf("From: inner");
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 0)"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" " + size
                + " (NIL \"inner\" ((NIL NIL \"inner\" \"example.com\")) ((NIL NIL \"inner\" \"example.com\"))"
                + " ((NIL NIL \"inner\" \"example.com\")) NIL NIL NIL NIL NIL)"
                + " ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 0)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 12 0) \"ALTERNATIVE\") 13)"
                + " \"MIXED\")", body(Messages.NESTED));
        assertEquals(192, size);
    }

    @Test
    void multipartWithoutPartsGetsAnEmptyTextPart() {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=zz", "", "no delimiter here", "");
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0) \"MIXED\")", body(m));
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0 NIL NIL NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"zz\") NIL NIL NIL)", bodystructure(m));
    }

    @Test
    void missingCloseDelimiterEndsAtTheEnd() {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=zz", "", "--zz", "", "abc", "def");
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 8 1) \"MIXED\")", body(m));
    }

    @Test
    void eightBitParameterIsALiteral() {
        byte[] m = crlf("Content-Type: application/octet-stream; name=\"Grüße.txt\"", "", "x");
        assertEquals("(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" {11}\r\nGrüße.txt) NIL NIL \"7BIT\" 1)", body(m));
        byte[] latin1 = "Content-Type: text/plain; name=\"\u00e9t\u00e9\"\r\n\r\nx".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("(\"TEXT\" \"PLAIN\" (\"NAME\" {3}\r\n\u00e9t\u00e9 \"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 1 0)",
                latin1Render(latin1));
    }

    private static String latin1Render(byte[] m) {
        io.vertx.core.buffer.Buffer b = io.vertx.core.buffer.Buffer.buffer();
        BodyStructureEncoder.encode(b, m, false);
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void leafSizesAgreeWithMime4j() throws Exception {
        for (byte[] m : List.of(Messages.PLAIN, Messages.ALTERNATIVE, Messages.MIXED, Messages.NESTED)) {
            assertEquals(mime4jLeafSizes(m), leafSizes(MimePart.parse(m), new ArrayList<>()));
        }
    }

    static List<Integer> leafSizes(MimePart p, List<Integer> out) {
        if (p.isMultipart()) {
            p.children.forEach(c -> leafSizes(c, out));
        } else if (p.isMessage()) {
            leafSizes(p.message, out);
        } else {
            out.add(p.bodySize());
        }
        return out;
    }

    static List<Integer> mime4jLeafSizes(byte[] m) throws Exception {
        MimeTokenStream ts = new MimeTokenStream(MimeConfig.PERMISSIVE);
        ts.parse(new ByteArrayInputStream(m));
        List<Integer> sizes = new ArrayList<>();
        for (EntityState s = ts.getState(); s != EntityState.T_END_OF_STREAM; s = ts.next()) {
            if (s == EntityState.T_BODY) {
                sizes.add(ts.getInputStream().readAllBytes().length);
            }
        }
        return sizes;
    }
}
