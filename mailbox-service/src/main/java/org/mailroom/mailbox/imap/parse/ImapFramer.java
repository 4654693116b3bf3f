package org.mailroom.mailbox.imap.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a client byte stream into complete IMAP commands, bounded in memory. Pure: no sockets, no
 * threads; feed it whatever the network delivered, in any chunking, and act on the events.
 *
 * <p>It switches between line mode and fixed-size literal mode (RFC 3501 §4.3): a line ending in
 * {@code {n}} (synchronising; a {@link FramerEvent.NeedContinuation} is yielded so the server sends
 * the continuation request) or {@code {n+}} (LITERAL+, RFC 7888; no continuation) is followed by
 * exactly n octets and then by the rest of the command on a further line. Commands come out as
 * {@link RawCommand}s.
 *
 * <p>Limits: no line segment longer than {@code maxLineLength} octets (CRLF excluded), no literal
 * larger than {@code maxLiteralSize}, no command whose lines and literals together exceed
 * {@code maxCommandSize}. A literal over a limit is refused from its announced size, before any of
 * its octets are read ({@link FramerEvent.TooBig}); a refused LITERAL+ literal is skipped without
 * being held, as is the rest of a refused command. The framer never holds more than one line
 * segment plus the current command.
 *
 * <p>Lenient where clients are sloppy: a bare LF ends a line like CRLF does.
 *
 * <p>Not thread-safe: one framer per connection, driven by its event loop.
 */
public final class ImapFramer {

    /**
     * Where the octets of literals come from, all connections together: a literal is read only
     * when its size can be reserved, else refused like one over a limit ({@link FramerEvent.Limit#MEMORY}).
     */
    public interface LiteralMemory {
        LiteralMemory UNBOUNDED = new LiteralMemory() {
            @Override
            public boolean tryReserve(long octets) {
                return true;
            }

            @Override
            public void release(long octets) {
            }
        };

        boolean tryReserve(long octets);

        void release(long octets);
    }

    private enum Mode { LINE, LITERAL, SKIP_LITERAL, DISCARD_LINE, CLOSED }

    /** Longest marker we need to recognise in a discarded line: "{" 19 digits "+}" CR. */
    private static final int TAIL = 24;
    private static final long UNREPRESENTABLE = -1;

    private final int maxLineLength;
    private final int maxLiteralSize;
    private final long maxCommandSize;
    private final LiteralMemory memory;
    /** Octets reserved for the literals of the command being read. */
    private long reserved;

    private Mode mode = Mode.LINE;
    private byte[] line = new byte[128];
    private int lineLength;
    private final List<RawCommand.Part> parts = new ArrayList<>();
    private long commandSize;
    private Optional<String> tag = Optional.empty();

    private byte[] literal;
    private int literalFilled;
    private boolean literalSynchronising;
    private long skipRemaining;

    /** The tag of the command being skipped, for a late TooBig that closes the connection. */
    private Optional<String> refusedTag = Optional.empty();
    private final byte[] tail = new byte[TAIL];
    private int tailLength;

    public ImapFramer(int maxLineLength, int maxLiteralSize, long maxCommandSize) {
        this(maxLineLength, maxLiteralSize, maxCommandSize, LiteralMemory.UNBOUNDED);
    }

    public ImapFramer(int maxLineLength, int maxLiteralSize, long maxCommandSize, LiteralMemory memory) {
        this.memory = memory;
        if (maxLineLength < 16 || maxLiteralSize < 0 || maxCommandSize < maxLineLength) {
            throw new IllegalArgumentException("unreasonable limits");
        }
        this.maxLineLength = maxLineLength;
        this.maxLiteralSize = maxLiteralSize;
        this.maxCommandSize = maxCommandSize;
    }

    /** Feeds octets; returns the events they complete, in order (often none). */
    public List<FramerEvent> feed(byte[] data) {
        return feed(data, 0, data.length);
    }

    /** Feeds {@code data[offset .. offset+length)}. */
    public List<FramerEvent> feed(byte[] data, int offset, int length) {
        List<FramerEvent> events = new ArrayList<>(1);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (mode) {
                case LINE -> i = readLine(data, i, end, events);
                case LITERAL -> i = readLiteral(data, i, end);
                case SKIP_LITERAL -> i = skipLiteral(i, end);
                case DISCARD_LINE -> i = discardLine(data, i, end, events);
                case CLOSED -> i = end;
                default -> throw new IllegalStateException(mode.name());
            }
        }
        return events;
    }

    private int readLine(byte[] data, int i, int end, List<FramerEvent> events) {
        while (i < end) {
            byte b = data[i++];
            if (b == '\n') {
                int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                if (len > maxLineLength) {
                    refuseCompletedLine(FramerEvent.Limit.LINE, len, len, events);
                } else {
                    lineComplete(len, events);
                }
                return i;
            }
            if (lineLength > maxLineLength || commandSize + lineLength > maxCommandSize) {
                // More than max octets before the line end (one spare octet for a CR).
                FramerEvent.Limit limit = lineLength > maxLineLength ? FramerEvent.Limit.LINE : FramerEvent.Limit.COMMAND;
                if (parts.isEmpty()) {
                    tag = tagOf(line, lineLength);
                }
                events.add(new FramerEvent.TooBig(tag, limit, commandSize + lineLength, false, false));
                refusedTag = tag;
                startTail(line, lineLength);
                pushTail(b);
                resetCommand();
                mode = Mode.DISCARD_LINE;
                return i;
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, Math.min(line.length * 2, maxLineLength + 2));
            }
            line[lineLength++] = b;
        }
        return i;
    }

    /** A complete line segment of {@code len} octets (CR removed) is in {@link #line}. */
    private void lineComplete(int len, List<FramerEvent> events) {
        if (parts.isEmpty()) {
            tag = tagOf(line, len);
        }
        int markerStart = markerStart(line, len);
        int textLength = markerStart >= 0 ? markerStart : len;
        parts.add(new RawCommand.Line(Arrays.copyOf(line, textLength)));
        commandSize += len;
        lineLength = 0;
        if (line.length > 4096) {
            line = new byte[128]; // do not keep a long line's buffer for the whole connection
        }
        if (markerStart < 0) {
            events.add(new FramerEvent.Command(new RawCommand(parts), reserved));
            reserved = 0; // the command's handler releases it
            resetCommand();
            return;
        }
        long size = lastMarkerSize;
        boolean synchronising = lastMarkerSynchronising;
        if (size == UNREPRESENTABLE || size > maxLiteralSize || commandSize + size > maxCommandSize) {
            FramerEvent.Limit limit = size == UNREPRESENTABLE || size > maxLiteralSize
                    ? FramerEvent.Limit.LITERAL : FramerEvent.Limit.COMMAND;
            refuseLiteral(limit, size, synchronising, events);
            return;
        }
        if (size > 0 && !memory.tryReserve(size)) {
            refuseLiteral(FramerEvent.Limit.MEMORY, size, synchronising, events);
            return;
        }
        reserved += size;
        literal = new byte[(int) size];
        literalFilled = 0;
        literalSynchronising = synchronising;
        commandSize += size;
        if (synchronising) {
            events.add(new FramerEvent.NeedContinuation(tag, size));
        }
        mode = Mode.LITERAL;
        if (size == 0) {
            literalComplete();
        }
    }

    private int readLiteral(byte[] data, int i, int end) {
        int n = Math.min(end - i, literal.length - literalFilled);
        System.arraycopy(data, i, literal, literalFilled, n);
        literalFilled += n;
        if (literalFilled == literal.length) {
            literalComplete();
        }
        return i + n;
    }

    private void literalComplete() {
        parts.add(new RawCommand.Literal(literal, literalSynchronising));
        literal = null;
        mode = Mode.LINE;
    }

    private int skipLiteral(int i, int end) {
        long n = Math.min(end - i, skipRemaining);
        skipRemaining -= n;
        if (skipRemaining == 0) {
            tailLength = 0;
            mode = Mode.DISCARD_LINE;
        }
        return (int) (i + n);
    }

    /** Skips the rest of a refused command, watching the line end for a further literal marker. */
    private int discardLine(byte[] data, int i, int end, List<FramerEvent> events) {
        while (i < end) {
            byte b = data[i++];
            if (b == '\n') {
                int len = tailLength > 0 && tail[tailLength - 1] == '\r' ? tailLength - 1 : tailLength;
                afterDiscardedLine(tail, len, events);
                return i;
            }
            pushTail(b);
        }
        return i;
    }

    /** A refused command's line ended; skip a LITERAL+ literal it announces, else the command is over. */
    private void afterDiscardedLine(byte[] bytes, int len, List<FramerEvent> events) {
        tailLength = 0;
        if (markerStart(bytes, len) >= 0 && !lastMarkerSynchronising) {
            if (lastMarkerSize == UNREPRESENTABLE) {
                events.add(new FramerEvent.TooBig(refusedTag, FramerEvent.Limit.LITERAL, Long.MAX_VALUE, false, true));
                mode = Mode.CLOSED;
                return;
            }
            skipRemaining = lastMarkerSize;
            mode = skipRemaining == 0 ? Mode.DISCARD_LINE : Mode.SKIP_LITERAL;
            return;
        }
        // No marker, or a synchronising one: the client waits for a continuation that never comes.
        mode = Mode.LINE;
    }

    private void refuseCompletedLine(FramerEvent.Limit limit, long size, int len, List<FramerEvent> events) {
        if (parts.isEmpty()) {
            tag = tagOf(line, len);
        }
        refusedTag = tag;
        events.add(new FramerEvent.TooBig(tag, limit, size, false, false));
        byte[] copy = Arrays.copyOfRange(line, Math.max(0, len - TAIL), len);
        resetCommand();
        afterDiscardedLine(copy, copy.length, events);
    }

    private void refuseLiteral(FramerEvent.Limit limit, long size, boolean synchronising, List<FramerEvent> events) {
        boolean close = !synchronising && size == UNREPRESENTABLE;
        events.add(new FramerEvent.TooBig(tag, limit, size == UNREPRESENTABLE ? Long.MAX_VALUE : size, synchronising, close));
        refusedTag = tag;
        resetCommand();
        if (synchronising) {
            mode = Mode.LINE; // RFC 3501 §7.5: no continuation, so the client sends no octets
        } else if (close) {
            mode = Mode.CLOSED;
        } else {
            skipRemaining = size;
            mode = size == 0 ? Mode.DISCARD_LINE : Mode.SKIP_LITERAL;
        }
    }

    /** The connection is gone: what the command being read holds is given back; nothing more is read. */
    public void close() {
        resetCommand();
        literal = null;
        mode = Mode.CLOSED;
    }

    private void resetCommand() {
        if (reserved > 0) { // a refused or abandoned command: its literals are dropped
            memory.release(reserved);
            reserved = 0;
        }
        parts.clear();
        commandSize = 0;
        lineLength = 0;
        tag = Optional.empty();
        if (line.length > 4096) {
            line = new byte[128];
        }
    }

    private void startTail(byte[] bytes, int len) {
        int from = Math.max(0, len - TAIL);
        tailLength = len - from;
        System.arraycopy(bytes, from, tail, 0, tailLength);
    }

    private void pushTail(byte b) {
        if (tailLength == TAIL) {
            System.arraycopy(tail, 1, tail, 0, TAIL - 1);
            tailLength--;
        }
        tail[tailLength++] = b;
    }

    // Set by markerStart(): the size and kind of the marker it found.
    private long lastMarkerSize;
    private boolean lastMarkerSynchronising;

    /**
     * Index of the {@code {} of a literal marker ending {@code bytes[0..len)}, or -1. Sets
     * {@link #lastMarkerSize} ({@link #UNREPRESENTABLE} when over 18 digits) and
     * {@link #lastMarkerSynchronising}. RFC 3501 §9: literal = "{" number "}" CRLF *CHAR8;
     * RFC 7888: literal+ has "+" before "}".
     */
    private int markerStart(byte[] bytes, int len) {
        if (len < 3 || bytes[len - 1] != '}') {
            return -1;
        }
        int j = len - 2;
        boolean synchronising = true;
        if (bytes[j] == '+') {
            synchronising = false;
            j--;
        }
        int digitsEnd = j + 1;
        while (j >= 0 && bytes[j] >= '0' && bytes[j] <= '9') {
            j--;
        }
        int digits = digitsEnd - (j + 1);
        if (j < 0 || bytes[j] != '{' || digits == 0) {
            return -1;
        }
        if (digits > 18) {
            lastMarkerSize = UNREPRESENTABLE;
        } else {
            lastMarkerSize = Long.parseLong(new String(bytes, j + 1, digits, StandardCharsets.US_ASCII));
        }
        lastMarkerSynchronising = synchronising;
        return j;
    }

    /** The tag (RFC 3501 §9: 1*&lt;any ASTRING-CHAR except "+"&gt;) opening a command, if well formed. */
    static Optional<String> tagOf(byte[] bytes, int len) {
        int i = 0;
        while (i < len && Chars.isTagChar(bytes[i])) {
            i++;
        }
        if (i == 0 || i == len || bytes[i] != ' ') { // the SP proves the tag is complete
            return Optional.empty();
        }
        return Optional.of(new String(bytes, 0, i, StandardCharsets.US_ASCII));
    }
}
