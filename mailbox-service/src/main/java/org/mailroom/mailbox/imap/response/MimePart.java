package org.mailroom.mailbox.imap.response;

import org.apache.james.mime4j.stream.NameValuePair;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A MIME entity of a stored message, located by octet offsets so that sections are views, not
 * copies, and sizes are exact: {@code [start, bodyStart)} is the header including its blank line,
 * {@code [bodyStart, end)} the body as stored (still transfer-encoded).
 *
 * <p>Fields are parsed by mime4j (see {@link Octets}); mime4j exposes no octet offsets, so the
 * multipart framing is located here, as RFC 2046 §5.1.1 has it: a delimiter is a line beginning
 * with {@code "--" boundary} followed only by white space, a close delimiter one followed by
 * {@code "--"}; the line ending before a delimiter belongs to the delimiter, not to the part;
 * the preamble and epilogue belong to no part; a missing close delimiter ends the last part at the
 * end of the multipart. A multipart without a boundary, or whose boundary never occurs, has no
 * parts.
 *
 * <p>Bounded: entities nest at most {@link #MAX_DEPTH} deep and a message has at most
 * {@link #MAX_PARTS} entities (Dovecot's defaults); beyond that a multipart or message/rfc822 is
 * taken as an opaque {@code application/octet-stream} leaf of its true size, and parts after the
 * limit are dropped. Nothing here throws on any input.
 */
final class MimePart {

    static final int MAX_DEPTH = 100;
    static final int MAX_PARTS = 10_000;

    final byte[] data;
    final int start;
    final int bodyStart;
    final int end;
    final Header header;
    final ContentType type;
    /** The parts of a multipart, in order; empty otherwise. */
    final List<MimePart> children;
    /** The encapsulated message of a message/rfc822 part; null otherwise. */
    final MimePart message;

    private MimePart(byte[] data, int start, int bodyStart, int end, ContentType type,
            List<MimePart> children, MimePart message) {
        this.data = data;
        this.start = start;
        this.bodyStart = bodyStart;
        this.end = end;
        this.header = new Header(data, start, bodyStart);
        this.type = type;
        this.children = children;
        this.message = message;
    }

    /** The whole message as an entity (RFC 5322 header, then the body). */
    static MimePart parse(byte[] message) {
        return entity(message, 0, message.length, false, 0, new int[] {MAX_PARTS});
    }

    /** A header alone (or a whole message, whose body is ignored) for field look-ups. */
    static Header header(byte[] data) {
        return new Header(data, 0, Header.headerEnd(data, 0, data.length));
    }

    boolean isMultipart() {
        return type.is("multipart", null);
    }

    boolean isMessage() {
        return message != null;
    }

    int bodySize() {
        return end - bodyStart;
    }

    /** Lines of the body: the number of LF octets (each CRLF counts once, RFC 3501 §7.4.2). */
    int bodyLines() {
        int lines = 0;
        for (int i = bodyStart; i < end; i++) {
            if (data[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static MimePart entity(byte[] data, int start, int end, boolean inDigest, int depth,
            int[] budget) {
        budget[0]--;
        int bodyStart = Header.headerEnd(data, start, end);
        Header header = new Header(data, start, bodyStart);
        ContentType type = ContentType.of(header, inDigest);
        boolean nest = depth < MAX_DEPTH && budget[0] > 0;
        boolean container = type.is("multipart", null) || type.is("message", "rfc822");
        if (container && !nest) {
            return new MimePart(data, start, bodyStart, end, ContentType.OPAQUE, List.of(), null);
        }
        if (type.is("message", "rfc822")) {
            MimePart inner = entity(data, bodyStart, end, false, depth + 1, budget);
            return new MimePart(data, start, bodyStart, end, type, List.of(), inner);
        }
        if (type.is("multipart", null)) {
            List<MimePart> parts = new ArrayList<>();
            String boundary = type.param("boundary");
            if (boundary != null && !boundary.isEmpty()) {
                boolean digest = type.is("multipart", "digest");
                for (int[] r : split(data, bodyStart, end, boundary, budget[0])) {
                    if (budget[0] <= 0) {
                        break;
                    }
                    parts.add(entity(data, r[0], r[1], digest, depth + 1, budget));
                }
            }
            return new MimePart(data, start, bodyStart, end, type, List.copyOf(parts), null);
        }
        return new MimePart(data, start, bodyStart, end, type, List.of(), null);
    }

    /** The ranges of the parts of a multipart body (RFC 2046 §5.1.1), at most {@code limit}. */
    static List<int[]> split(byte[] data, int from, int to, String boundary, int limit) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<int[]> parts = new ArrayList<>();
        int partStart = -1;
        int p = from;
        while (p < to && parts.size() < limit) {
            int next = Header.lineEnd(data, p, to);
            int kind = delimiter(data, p, next, delim);
            if (kind != 0) {
                if (partStart >= 0) {
                    parts.add(new int[] {partStart, Math.max(partStart, p - eolBefore(data, p, partStart))});
                }
                partStart = kind == 1 ? next : -1;
                if (kind == 2) {
                    return parts;
                }
            }
            p = next;
        }
        if (partStart >= 0 && parts.size() < limit) {
            parts.add(new int[] {partStart, to});
        }
        return parts;
    }

    /** 0: not a delimiter line; 1: a delimiter; 2: a close delimiter. */
    private static int delimiter(byte[] data, int p, int lineEnd, byte[] delim) {
        if (lineEnd - p < delim.length) {
            return 0;
        }
        for (int i = 0; i < delim.length; i++) {
            if (data[p + i] != delim[i]) {
                return 0;
            }
        }
        int q = p + delim.length;
        if (q + 1 < lineEnd && data[q] == '-' && data[q + 1] == '-') {
            return 2;
        }
        for (; q < lineEnd; q++) {
            byte b = data[q];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return 0;
            }
        }
        return 1;
    }

    private static int eolBefore(byte[] data, int p, int floor) {
        if (p - 1 >= floor && data[p - 1] == '\n') {
            return p - 2 >= floor && data[p - 2] == '\r' ? 2 : 1;
        }
        return 0;
    }

    /**
     * A Content-Type (RFC 2045 §5), parsed with mime4j; parameters in message order, names and
     * values as written (values unquoted). Absent or syntactically invalid means text/plain;
     * charset=us-ascii (RFC 2045 §5.2), or message/rfc822 inside multipart/digest (RFC 2046 §5.1.5).
     */
    record ContentType(String type, String subtype, List<NameValuePair> params) {

        static final ContentType DEFAULT = new ContentType("text", "plain",
                List.of(new NameValuePair("charset", "us-ascii")));
        static final ContentType DIGEST_DEFAULT = new ContentType("message", "rfc822", List.of());
        static final ContentType OPAQUE = new ContentType("application", "octet-stream", List.of());

        static ContentType of(Header header, boolean inDigest) {
            Header.Field f = header.first("Content-Type");
            ContentType fallback = inDigest ? DIGEST_DEFAULT : DEFAULT;
            if (f == null) {
                return fallback;
            }
            Octets.Structured body = Octets.structured(header.rawValue(f));
            String value = body.value().trim();
            int slash = value.indexOf('/');
            if (slash <= 0 || slash == value.length() - 1) {
                return fallback;
            }
            String t = value.substring(0, slash).trim();
            String s = value.substring(slash + 1).trim();
            if (t.isEmpty() || s.isEmpty() || !isToken(t) || !isToken(s)) {
                return fallback;
            }
            return new ContentType(t, s, body.params());
        }

        boolean is(String t, String s) {
            return type.equalsIgnoreCase(t) && (s == null || subtype.equalsIgnoreCase(s));
        }

        /** The first parameter of that name (case-insensitive), or null. */
        String param(String name) {
            for (NameValuePair p : params) {
                if (p.getName().equalsIgnoreCase(name)) {
                    return p.getValue();
                }
            }
            return null;
        }
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
