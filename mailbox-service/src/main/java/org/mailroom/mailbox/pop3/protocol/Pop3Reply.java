package org.mailroom.mailbox.pop3.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One server response (RFC 1939 §3): {@code +OK} or {@code -ERR} with an optional RFC 2449
 * response code, then for multi-line responses the dot-stuffed body and the terminating
 * {@code CRLF.CRLF}; or the SASL continuation {@code + } of RFC 5034.
 */
public record Pop3Reply(Kind kind, ResponseCode code, String text, byte[] body) {

    public enum Kind { OK, ERR, CONTINUE }

    public static Pop3Reply ok(String text) {
        return new Pop3Reply(Kind.OK, null, text, null);
    }

    public static Pop3Reply err(String text) {
        return new Pop3Reply(Kind.ERR, null, text, null);
    }

    public static Pop3Reply err(ResponseCode code, String text) {
        return new Pop3Reply(Kind.ERR, code, text, null);
    }

    /** RFC 5034 §4: an empty server challenge. */
    public static Pop3Reply continuation() {
        return new Pop3Reply(Kind.CONTINUE, null, "", null);
    }

    /** A multi-line response of text lines (CAPA, LIST, UIDL), each dot-stuffed. */
    public static Pop3Reply lines(String text, List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            if (b.length > 0 && b[0] == '.') {
                out.write('.');
            }
            out.writeBytes(b);
            out.write('\r');
            out.write('\n');
        }
        return new Pop3Reply(Kind.OK, null, text, terminate(out));
    }

    /** RETR (all of it, {@code bodyLines} < 0) or TOP (the header and that many body lines). */
    public static Pop3Reply message(String text, byte[] content, int bodyLines) {
        MessageLines.Counter counter = new MessageLines.Counter();
        MessageLines.write(counter, content, bodyLines);
        if (counter.count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a reply of " + counter.count + " octets does not fit in an array");
        }
        byte[] body = new byte[(int) counter.count + 3];
        MessageLines.Filler filler = new MessageLines.Filler(body, 0);
        MessageLines.write(filler, content, bodyLines);
        body[filler.at] = '.';
        body[filler.at + 1] = '\r';
        body[filler.at + 2] = '\n';
        return new Pop3Reply(Kind.OK, null, text, body);
    }

    private static byte[] terminate(ByteArrayOutputStream out) {
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    public boolean ok() {
        return kind != Kind.ERR;
    }

    /** The octets on the wire. */
    public byte[] encode() {
        byte[] h = head();
        if (body == null) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** The status line; {@link #body()} (if any) follows it on the wire, to be sent without copying it. */
    public byte[] head() {
        String status = switch (kind) {
            case OK -> "+OK";
            case ERR -> "-ERR";
            case CONTINUE -> "+";
        };
        StringBuilder head = new StringBuilder(status);
        if (code != null) {
            head.append(" [").append(code.text()).append(']');
        }
        if (!text.isEmpty() || kind == Kind.CONTINUE) {
            head.append(' ').append(text);
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }
}
