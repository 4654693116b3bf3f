package org.mailroom.mailbox.pop3.protocol;

import java.io.ByteArrayOutputStream;

/**
 * Writes a stored message as a POP3 multi-line body (RFC 1939 §3): every line CRLF-terminated
 * (a bare LF becomes CRLF, a last line without one gets one), a line starting with "." gets
 * another in front (dot-stuffing). The terminating ".CRLF" is the caller's.
 */
final class MessageLines {

    /**
     * @param bodyLines lines of body after the header's blank line (RFC 1939 §7 TOP); negative: all
     */
    static void write(ByteArrayOutputStream out, byte[] content, int bodyLines) {
        boolean inHeader = true;
        int bodyWritten = 0;
        int start = 0;
        while (start < content.length) {
            if (!inHeader && bodyLines >= 0 && bodyWritten >= bodyLines) {
                return;
            }
            int lf = start;
            while (lf < content.length && content[lf] != '\n') {
                lf++;
            }
            int end = lf > start && content[lf - 1] == '\r' ? lf - 1 : lf;
            if (lf == content.length && end > start && content[end - 1] == '\r') {
                end--; // a lone CR at the very end
            }
            if (end > start && content[start] == '.') {
                out.write('.');
            }
            out.write(content, start, end - start);
            out.write('\r');
            out.write('\n');
            if (inHeader) {
                if (end == start) {
                    inHeader = false;
                }
            } else {
                bodyWritten++;
            }
            start = lf + 1;
        }
    }

    private MessageLines() {}
}
