package org.mailroom.mailbox.pop3.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the client's octets into command lines, whatever the chunks they arrive in. A line ends at
 * LF (CRLF per RFC 1939 §3; a bare LF is taken too) and holds at most {@code maxLength} octets
 * with its terminator: a longer one is discarded up to its end and reported once as
 * {@link TooLong}, so the buffer never grows beyond the limit.
 */
public final class LineFramer {

    /** One framed unit of input. */
    public sealed interface Frame permits Line, TooLong {}

    /** A complete line without its CRLF, decoded as UTF-8. */
    public record Line(String text) implements Frame {}

    /** A line over the limit was dropped. */
    public record TooLong() implements Frame {}

    private final int maxLength;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean discarding;

    public LineFramer(int maxLength) {
        this.maxLength = maxLength;
    }

    public List<Frame> feed(byte[] data) {
        List<Frame> frames = new ArrayList<>();
        for (byte b : data) {
            if (b == '\n') {
                if (discarding) {
                    discarding = false;
                    frames.add(new TooLong());
                } else {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    frames.add(new Line(new String(bytes, 0, len, StandardCharsets.UTF_8)));
                }
                line.reset();
            } else if (!discarding) {
                if (line.size() + 1 >= maxLength) { // the LF still needs its octet
                    discarding = true;
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }
        return frames;
    }

    /** Forgets any partial line: after STLS, nothing sent in clear may be taken (RFC 2595 §4). */
    public void reset() {
        line.reset();
        discarding = false;
    }

    /** Octets of an unfinished line held. */
    public int buffered() {
        return line.size();
    }
}
