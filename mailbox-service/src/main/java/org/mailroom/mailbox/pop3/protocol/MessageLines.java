package org.mailroom.mailbox.pop3.protocol;

/**
 * Writes a stored message as a POP3 multi-line body (RFC 1939 §3): every line CRLF-terminated
 * (a bare LF becomes CRLF, a last line without one gets one), a line starting with "." gets
 * another in front (dot-stuffing). The terminating ".CRLF" is the caller's. Written twice, to
 * count and then into an array of that size, so that a body of 25 MiB is copied once, not three
 * times over as a growing stream, its copy and the reply.
 */
final class MessageLines {

    /** Where the lines go. */
    interface Sink {
        void write(int octet);

        void write(byte[] octets, int offset, int length);
    }

    /** Counts what would be written. */
    static final class Counter implements Sink {
        long count;

        @Override
        public void write(int octet) {
            count++;
        }

        @Override
        public void write(byte[] octets, int offset, int length) {
            count += length;
        }
    }

    /** Fills an array from {@code at} on. */
    static final class Filler implements Sink {
        final byte[] out;
        int at;

        Filler(byte[] out, int at) {
            this.out = out;
            this.at = at;
        }

        @Override
        public void write(int octet) {
            out[at++] = (byte) octet;
        }

        @Override
        public void write(byte[] octets, int offset, int length) {
            System.arraycopy(octets, offset, out, at, length);
            at += length;
        }
    }

    /**
     * @param bodyLines lines of body after the header's blank line (RFC 1939 §7 TOP); negative: all
     */
    static void write(Sink out, byte[] content, int bodyLines) {
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
