package org.mailroom.core.smtp;

import java.util.List;
import java.util.Objects;

/**
 * An SMTP reply (RFC 5321 §4.2) with its enhanced status code (RFC 3463, carried on every line as
 * RFC 2034 asks). Replies are values: the fixed ones are constants, the rest are built with
 * {@link #of}. The same type serves the server (ingress) and the client (delivery-service).
 */
public record Reply(int code, String enhanced, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        if (enhanced != null && !EnhancedStatus.isValid(enhanced)) {
            throw new IllegalArgumentException("bad enhanced status code: " + enhanced);
        }
        if (enhanced != null && enhanced.charAt(0) - '0' != code / 100) {
            throw new IllegalArgumentException("class of " + enhanced + " disagrees with " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply text may not contain CR or LF");
            }
        }
    }

    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    /** A reply without an enhanced code: greetings (220) and replies before EHLO negotiated it. */
    public static Reply plain(int code, String text) {
        return new Reply(code, null, List.of(text));
    }

    public static Reply multiline(int code, String enhanced, List<String> lines) {
        return new Reply(code, enhanced, lines);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The same reply with other text. */
    public Reply withText(String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    /** The wire form: every line {@code code SP|- [enhanced SP] text CRLF}. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhanced != null) {
                out.append(enhanced);
                if (!lines.get(i).isEmpty()) {
                    out.append(' ');
                }
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        String r = render();
        return r.substring(0, r.length() - 2).replace("\r\n", " | ");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reply r && r.code == code && Objects.equals(r.enhanced, enhanced) && r.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, enhanced, lines);
    }
}
