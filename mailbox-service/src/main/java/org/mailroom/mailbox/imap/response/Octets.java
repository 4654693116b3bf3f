package org.mailroom.mailbox.imap.response;

import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteArrayBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw header octets through mime4j's tokenizer and back, unchanged. Here a raw value is an
 * "octet string": one char per octet (ISO-8859-1). mime4j reads 8-bit header octets as UTF-8
 * (RFC 6532), which would turn other 8-bit octets into U+FFFD; so a value that is not valid UTF-8
 * is handed to mime4j as the UTF-8 form of its octet string, and the results are mapped back.
 */
final class Octets {

    /** A structured value and its {@code ;}-parameters, as octet strings (RFC 2045 §5.1). */
    record Structured(String value, List<NameValuePair> params) { }

    /** One parse: the input for mime4j and how to map its strings back to octet strings. */
    static final class Parse {
        final ByteArrayBuffer input;
        final ParserCursor cursor;
        private final Charset charset;

        Parse(byte[] raw) {
            charset = isUtf8(raw) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            byte[] in = charset == StandardCharsets.UTF_8 ? raw
                    : new String(raw, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
            input = new ByteArrayBuffer(in, true);
            cursor = new ParserCursor(0, in.length);
        }

        /** A string produced by mime4j, back as the octet string of the original octets. */
        String back(String parsed) {
            return parsed == null ? null
                    : new String(parsed.getBytes(charset), StandardCharsets.ISO_8859_1);
        }
    }

    private Octets() {
    }

    /** mime4j's parse of a structured field body ({@link RawFieldParser#parseRawBody}). */
    static Structured structured(byte[] raw) {
        Parse p = new Parse(raw);
        RawBody body = RawFieldParser.DEFAULT.parseRawBody(p.input, p.cursor);
        List<NameValuePair> params = new ArrayList<>();
        for (NameValuePair nv : body.getParams()) {
            params.add(new NameValuePair(p.back(nv.getName()), p.back(nv.getValue())));
        }
        String value = p.back(body.getValue());
        return new Structured(value == null ? "" : value, List.copyOf(params));
    }

    static boolean isUtf8(byte[] raw) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
