package org.mailroom.mailbox.imap.response;

import io.vertx.core.buffer.Buffer;
import org.apache.james.mime4j.stream.NameValuePair;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BODYSTRUCTURE and BODY (RFC 3501 §7.4.2, grammar §9 {@code body}).
 *
 * <p>Choices where the RFC leaves room: type, subtype, encoding, parameter names and the
 * disposition type are upper-cased (the RFC's own examples); parameter values, id, description,
 * md5 and location are the raw values (unfolded, not decoded). The encoding defaults to
 * {@code 7BIT}; an absent or invalid Content-Type is text/plain; charset=us-ascii (RFC 2045 §5.2),
 * and a text part without a charset parameter gets {@code "CHARSET" "us-ascii"} (RFC 2046 §4.1.2,
 * as Dovecot).
 * Size is the octet count of the body as stored (transfer-encoded) and lines the number of LF in
 * it. body-fld-md5 is the Content-MD5 value when present, NIL otherwise (as Dovecot). A multipart
 * without any part, which the grammar cannot express, is written with one empty text/plain part
 * (as Dovecot). Extension data is written only when {@code extensible} (BODYSTRUCTURE).
 */
public final class BodyStructureEncoder {

    private static final String EMPTY_PART = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0";

    private BodyStructureEncoder() {
    }

    /** Writes the structure of {@code message} (header and body as stored). */
    public static void encode(Buffer out, byte[] message, boolean extensible) {
        write(out, MimePart.parse(message == null ? new byte[0] : message), extensible);
    }

    static void write(Buffer out, MimePart p, boolean ext) {
        out.appendByte((byte) '(');
        if (p.isMultipart()) {
            if (p.children.isEmpty()) {
                out.appendString(ext ? EMPTY_PART + " NIL NIL NIL NIL)" : EMPTY_PART + ")");
            }
            for (MimePart child : p.children) {
                write(out, child, ext);
            }
            out.appendByte((byte) ' ');
            upper(out, p.type.subtype());
            if (ext) {
                out.appendByte((byte) ' ');
                params(out, p.type.params());
                extensions(out, p);
            }
            out.appendByte((byte) ')');
            return;
        }
        upper(out, p.type.type());
        out.appendByte((byte) ' ');
        upper(out, p.type.subtype());
        out.appendByte((byte) ' ');
        List<NameValuePair> params = p.type.params();
        if (p.type.is("text", null) && p.type.param("charset") == null) {
            params = new ArrayList<>(params);
            params.add(new NameValuePair("charset", "us-ascii"));
        }
        params(out, params);
        out.appendByte((byte) ' ');
        raw(out, p.header, "Content-ID");
        out.appendByte((byte) ' ');
        raw(out, p.header, "Content-Description");
        out.appendByte((byte) ' ');
        Header.Field cte = p.header.first("Content-Transfer-Encoding");
        String encoding = cte == null ? "" : p.header.octets(cte);
        upper(out, encoding.isEmpty() ? "7BIT" : encoding);
        out.appendString(" " + p.bodySize());
        if (p.isMessage()) {
            out.appendByte((byte) ' ');
            EnvelopeEncoder.encode(out, p.message.header);
            out.appendByte((byte) ' ');
            write(out, p.message, ext);
            out.appendString(" " + p.bodyLines());
        } else if (p.type.is("text", null)) {
            out.appendString(" " + p.bodyLines());
        }
        if (ext) {
            out.appendByte((byte) ' ');
            raw(out, p.header, "Content-MD5");
            extensions(out, p);
        }
        out.appendByte((byte) ')');
    }

    /** SP body-fld-dsp SP body-fld-lang SP body-fld-loc. */
    private static void extensions(Buffer out, MimePart p) {
        out.appendByte((byte) ' ');
        disposition(out, p.header);
        out.appendByte((byte) ' ');
        language(out, p.header);
        out.appendByte((byte) ' ');
        raw(out, p.header, "Content-Location");
    }

    /** body-fld-dsp = "(" string SP body-fld-param ")" / nil (RFC 2183). */
    private static void disposition(Buffer out, Header h) {
        Header.Field f = h.first("Content-Disposition");
        Octets.Structured body = f == null ? null : Octets.structured(h.rawValue(f));
        String type = body == null ? "" : body.value().trim();
        if (type.isEmpty()) {
            out.appendString("NIL");
            return;
        }
        out.appendByte((byte) '(');
        upper(out, type);
        out.appendByte((byte) ' ');
        params(out, body.params());
        out.appendByte((byte) ')');
    }

    /** body-fld-lang = nstring / "(" string *(SP string) ")" (RFC 3282 language tags). */
    private static void language(Buffer out, Header h) {
        Header.Field f = h.first("Content-Language");
        List<String> tags = new ArrayList<>();
        if (f != null) {
            for (String t : h.octets(f).split(",")) {
                String tag = stripComments(t).trim();
                if (!tag.isEmpty()) {
                    tags.add(tag);
                }
            }
        }
        if (tags.isEmpty()) {
            out.appendString("NIL");
        } else if (tags.size() == 1) {
            octets(out, tags.get(0));
        } else {
            out.appendByte((byte) '(');
            for (int i = 0; i < tags.size(); i++) {
                if (i > 0) {
                    out.appendByte((byte) ' ');
                }
                octets(out, tags.get(i));
            }
            out.appendByte((byte) ')');
        }
    }

    /** body-fld-param = "(" string SP string *(SP string SP string) ")" / nil. */
    private static void params(Buffer out, List<NameValuePair> params) {
        List<NameValuePair> named = new ArrayList<>();
        for (NameValuePair p : params) {
            if (p.getName() != null && !p.getName().isBlank()) {
                named.add(p);
            }
        }
        if (named.isEmpty()) {
            out.appendString("NIL");
            return;
        }
        out.appendByte((byte) '(');
        for (int i = 0; i < named.size(); i++) {
            if (i > 0) {
                out.appendByte((byte) ' ');
            }
            upper(out, named.get(i).getName().trim());
            out.appendByte((byte) ' ');
            String v = named.get(i).getValue();
            octets(out, v == null ? "" : v);
        }
        out.appendByte((byte) ')');
    }

    private static void raw(Buffer out, Header h, String name) {
        Header.Field f = h.first(name);
        ImapWire.nstring(out, f == null ? null : h.rawValue(f));
    }

    private static void upper(Buffer out, String octetString) {
        char[] c = octetString.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'a' && c[i] <= 'z') {
                c[i] -= 'a' - 'A';
            }
        }
        octets(out, new String(c));
    }

    private static void octets(Buffer out, String octetString) {
        ImapWire.string(out, octetString.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String stripComments(String s) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
