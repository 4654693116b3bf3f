package org.mailroom.ingress.protocol;

import java.util.Arrays;
import java.nio.charset.StandardCharsets;

/**
 * Frames the bytes of one SMTP connection, with bounded memory, in one of three modes:
 * <ul>
 *   <li>{@link Mode#LINE}: CRLF-terminated command lines of at most {@code maxLineLength} octets
 *       (RFC 5321 §4.5.3.1.4, raised for extensions); a longer line is reported once and skipped;</li>
 *   <li>{@link Mode#DATA}: a dot-stuffed message up to {@code CRLF.CRLF} (RFC 5321 §4.5.2),
 *       unstuffed; octets beyond {@code maxMessageSize} are counted but not kept (RFC 1870: refused
 *       at the end); a lone dot line delimited by a bare CR or LF is flagged (SMTP smuggling);</li>
 *   <li>{@link Mode#CHUNK}: exactly n octets of a BDAT chunk (RFC 3030), appended to the message.</li>
 * </ul>
 * Pure: fed bytes by the network layer, it yields {@link Frame}s; any split of the input yields the
 * same frames.
 */
public final class InputFramer {

    public enum Mode { LINE, DATA, CHUNK }

    /** What the framer found. */
    public sealed interface Frame {}

    /** A command line, without its CRLF, decoded as UTF-8 (RFC 6531). */
    public record Line(String text) implements Frame {}

    /** A command line longer than the limit was skipped. */
    public record LineTooLong() implements Frame {}

    /**
     * The end of DATA or of a BDAT chunk.
     *
     * @param size       octets the message has so far (all chunks), kept or not
     * @param overflow   more than maxMessageSize octets were sent
     * @param smuggling  a lone dot delimited by a bare CR or LF was seen (DATA only)
     * @param starved    the instance's {@link MemoryBudget} could not hold it: not kept
     * @param chunk      the end of a BDAT chunk (RFC 3030), not of DATA
     */
    public record Body(long size, boolean overflow, boolean smuggling, boolean starved, boolean chunk) implements Frame {
        /** The end of DATA. */
        public Body(long size, boolean overflow, boolean smuggling) {
            this(size, overflow, smuggling, false, false);
        }
    }

    private final int maxLineLength;
    private final long maxMessageSize;

    private Mode mode = Mode.LINE;
    private byte[] pending = new byte[0];
    private int pendingStart;

    // LINE mode
    private final Bytes line = new Bytes();
    private boolean skippingLongLine;
    private boolean lastWasCr;

    // DATA / CHUNK mode: the message being received
    private Bytes message = new Bytes();
    private long messageSize;
    private boolean smuggling;
    private long chunkRemaining;
    // DATA: line state and the window of the last three raw octets
    private int lineState;
    private boolean lastKeptCr;
    private int w1;
    private int w2;
    private int w3;

    private final MemoryBudget budget;
    private long reserved;
    private boolean starved;
    private static final int RESERVE_STEP = 64 * 1024;

    public InputFramer(int maxLineLength, long maxMessageSize) {
        this(maxLineLength, maxMessageSize, new MemoryBudget(Long.MAX_VALUE));
    }

    public InputFramer(int maxLineLength, long maxMessageSize, MemoryBudget budget) {
        this.maxLineLength = maxLineLength;
        this.maxMessageSize = maxMessageSize;
        this.budget = budget;
    }

    /** Gives back the memory the last body held; call when it was published or dropped. */
    public void releaseBody() {
        budget.release(reserved);
        reserved = 0;
    }

    public Mode mode() {
        return mode;
    }

    /** Octets received and not framed yet (STARTTLS must find none: RFC 3207 §4.2). */
    public int buffered() {
        return pending.length - pendingStart + line.size();
    }

    /** Drops unframed input (after STARTTLS, where pipelined plaintext must not be executed). */
    public void discardBuffered() {
        pending = new byte[0];
        pendingStart = 0;
        line.reset();
        skippingLongLine = false;
        lastWasCr = false;
    }

    public void feed(byte[] bytes) {
        if (pendingStart >= pending.length) {
            pending = bytes;
        } else {
            byte[] joined = new byte[pending.length - pendingStart + bytes.length];
            System.arraycopy(pending, pendingStart, joined, 0, pending.length - pendingStart);
            System.arraycopy(bytes, 0, joined, pending.length - pendingStart, bytes.length);
            pending = joined;
        }
        pendingStart = 0;
    }

    /** Starts a new message transaction's body (DATA). */
    public void startData() {
        startData(-1);
    }

    /**
     * Starts a new message transaction's body (DATA) that MAIL declared to be {@code declaredSize}
     * octets (RFC 1870; -1: not declared). A declared size within the limit is reserved from the
     * budget at once, and held in one array of that size: all or nothing, so that six clients
     * sending 24 MiB into a 64 MiB budget see two accepted and four refused, not six refused after
     * each got a third of the way. Refused ({@link Body#starved()}) when the budget lacks it.
     */
    public void startData(long declaredSize) {
        newMessageIfNeeded(true);
        if (declaredSize > 0 && declaredSize <= maxMessageSize) {
            int size = (int) Math.min(declaredSize, Integer.MAX_VALUE - 8);
            if (hold(size)) {
                message = new Bytes(size);
            }
        }
        mode = Mode.DATA;
        lineState = 1; // the body starts at a line start, as if after CRLF
        lastKeptCr = false;
        w3 = 0;
        w2 = '\r';
        w1 = '\n';
    }

    /** Starts one BDAT chunk of {@code size} octets; {@code first} resets the message. */
    public void startChunk(long size, boolean first) {
        newMessageIfNeeded(first);
        mode = Mode.CHUNK;
        chunkRemaining = size;
    }

    private void newMessageIfNeeded(boolean reset) {
        if (reset) {
            releaseBody();
            message = new Bytes();
            messageSize = 0;
            smuggling = false;
            starved = false;
        }
    }

    /** The message received by DATA or the BDAT chunks so far (empty if it overflowed). */
    public byte[] takeMessage() {
        byte[] out = message.toByteArray();
        message = new Bytes();
        messageSize = 0;
        return out;
    }

    /** The next frame, or null when more input is needed. */
    public Frame next() {
        return switch (mode) {
            case LINE -> nextLine();
            case DATA -> nextData();
            case CHUNK -> nextChunk();
        };
    }

    private Frame nextLine() {
        while (pendingStart < pending.length) {
            int b = pending[pendingStart++] & 0xff;
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                if (skippingLongLine) {
                    skippingLongLine = false;
                    line.reset();
                    return new LineTooLong();
                }
                byte[] bytes = line.toByteArray(); // content and its CR
                line.reset();
                return new Line(new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8));
            }
            lastWasCr = b == '\r';
            if (!skippingLongLine) {
                line.write(b);
                if (line.size() > maxLineLength + 1) {
                    skippingLongLine = true; // report once at its CRLF, hold nothing meanwhile
                    line.reset();
                }
            }
        }
        return null;
    }

    /*
     * DATA. Lines end with CRLF only (RFC 5321 §2.3.8): dot-unstuffing and the end of data are
     * decided on CRLF line starts. lineState 1 = at a line start, 2 = "." at a line start,
     * 3 = ".CR" at a line start, 0 = inside a line. Independently, a window over the last raw
     * octets flags a lone dot delimited by a bare CR or LF ("<LF>.<LF>", "<CR><LF>.<LF>",
     * "<LF>.<CR><LF>", "<CR>.<CR>", ...): the SMTP smuggling patterns, refused at the end.
     */
    private Frame nextData() {
        while (pendingStart < pending.length) {
            int b = pending[pendingStart++] & 0xff;
            boolean lone = w1 == '.' && (w2 == '\r' || w2 == '\n') && (b == '\r' || b == '\n');
            if (lone && !(w2 == '\n' && w3 == '\r' && b == '\r')) {
                smuggling = true; // anything but CRLF "." CR, which the line state machine settles
            }
            w3 = w2;
            w2 = w1;
            w1 = b;
            switch (lineState) {
                case 1 -> {
                    if (b == '.') {
                        lineState = 2;
                    } else {
                        keep(b);
                    }
                }
                case 2 -> {
                    if (b == '\r') {
                        lineState = 3;
                    } else {
                        keep(b); // dot-stuffing: the leading dot is dropped (RFC 5321 §4.5.2)
                    }
                }
                case 3 -> {
                    if (b == '\n') {
                        mode = Mode.LINE;
                        return new Body(messageSize, messageSize > maxMessageSize, smuggling, starved, false);
                    }
                    smuggling = true; // CRLF "." CR not followed by LF
                    append('\r');
                    lastKeptCr = true;
                    keep(b);
                }
                default -> keep(b);
            }
        }
        return null;
    }

    /** Keeps an octet of the body and moves the line state: a line starts only after CRLF. */
    private void keep(int b) {
        append(b);
        lineState = b == '\n' && lastKeptCr ? 1 : 0;
        lastKeptCr = b == '\r';
    }

    private Frame nextChunk() {
        int available = pending.length - pendingStart;
        int take = (int) Math.min(available, chunkRemaining);
        long room = Math.max(0, maxMessageSize - messageSize);
        int keep = (int) Math.min(take, room);
        if (!starved && keep > 0 && hold(keep)) {
            message.write(pending, pendingStart, keep);
        }
        messageSize += take;
        if (messageSize > maxMessageSize || starved) {
            message = new Bytes(); // over the limit or the budget: stop holding it
        }
        pendingStart += take;
        chunkRemaining -= take;
        if (chunkRemaining == 0) {
            mode = Mode.LINE;
            return new Body(messageSize, messageSize > maxMessageSize, false, starved, true);
        }
        return null;
    }

    private void append(int b) {
        messageSize++;
        if (messageSize <= maxMessageSize && !starved && hold(1)) {
            message.write(b);
        } else if (message.size() > 0) {
            message = new Bytes(); // over the limit or the budget: stop holding it
        }
    }

    /** Reserves budget (in steps) for n more held octets; false, and starved, when there is none. */
    private boolean hold(int n) {
        if (message.size() + n <= reserved) {
            return true;
        }
        long step = Math.max(RESERVE_STEP, n);
        if (budget.tryReserve(step)) {
            reserved += step;
            return true;
        }
        starved = true;
        return false;
    }

    /** A growable byte array without the locking of ByteArrayOutputStream: this is the hot path. */
    private static final class Bytes {
        private byte[] buf;
        private int size;

        Bytes() {
            this(256);
        }

        Bytes(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        void write(byte[] src, int off, int len) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
            }
            System.arraycopy(src, off, buf, size, len);
            size += len;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        /** The octets; the array itself when it is exactly full (a declared SIZE that was true). */
        byte[] toByteArray() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }
}
