package org.mailroom.mailbox.imap.response;

import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteArrayBuffer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * An address-list (RFC 5322 §3.4) cut into RFC 3501 §7.4.2 address structures, leniently and
 * without decoding: display names stay as written (quotes removed, comments dropped, RFC 2047
 * words left encoded for the client, as Dovecot and James answer). Tokens come from mime4j's
 * {@link RawFieldParser}; mime4j's own address parser decodes names, which ENVELOPE must not.
 *
 * <p>Strings are octet strings: one char per octet (ISO-8859-1), so 8-bit names round-trip.
 * Total: anything unparseable yields a best-effort address; an address without {@code @} gets
 * the host {@value #MISSING_DOMAIN} (host NIL would mean a group, RFC 3501 §7.4.2), as Dovecot does.
 */
final class AddressList {

    static final String MISSING_MAILBOX = "MISSING_MAILBOX";
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";

    /**
     * One address structure. A group start is {@code (NIL NIL name NIL)}, a group end all NIL.
     */
    record Address(String name, String route, String mailbox, String host) {
        static final Address GROUP_END = new Address(null, null, null, null);
    }

    private static final RawFieldParser P = RawFieldParser.DEFAULT;
    private static final BitSet DELIMS = RawFieldParser.INIT_BITSET(',', '<', ':', ';');
    private static final BitSet ANGLE_END = RawFieldParser.INIT_BITSET('>');

    private AddressList() {
    }

    static List<Address> parse(byte[] raw) {
        Octets.Parse parse = new Octets.Parse(raw);
        ByteArrayBuffer buf = parse.input;
        ParserCursor cursor = parse.cursor;
        List<Address> out = new ArrayList<>();
        boolean inGroup = false;
        boolean afterAngle = false;
        while (!cursor.atEnd()) {
            int before = cursor.getPos();
            String text = P.parseValue(buf, cursor, DELIMS).trim();
            char c = cursor.atEnd() ? ',' : (char) (buf.byteAt(cursor.getPos()) & 0xff);
            if (!cursor.atEnd()) {
                cursor.updatePos(cursor.getPos() + 1);
            }
            switch (c) {
                case '<' -> {
                    out.add(angle(buf, cursor, text));
                    afterAngle = true;
                    continue;
                }
                case ':' -> {
                    if (!inGroup) {
                        out.add(new Address(null, null, text, null));
                        inGroup = true;
                    } else if (!text.isEmpty()) {
                        out.add(addrSpec(null, text));
                    }
                }
                case ';' -> {
                    if (!text.isEmpty() && !afterAngle) {
                        out.add(addrSpec(null, text));
                    }
                    if (inGroup) {
                        out.add(Address.GROUP_END);
                        inGroup = false;
                    }
                }
                default -> {
                    if (!text.isEmpty() && !afterAngle) {
                        out.add(addrSpec(null, text));
                    }
                }
            }
            afterAngle = false;
            if (cursor.getPos() <= before) {
                cursor.updatePos(before + 1);
            }
        }
        if (inGroup) {
            out.add(Address.GROUP_END);
        }
        List<Address> octets = new ArrayList<>(out.size());
        for (Address a : out) {
            octets.add(new Address(parse.back(a.name()), parse.back(a.route()), parse.back(a.mailbox()),
                    parse.back(a.host())));
        }
        return octets;
    }

    /** {@code [name] "<" [route ":"] addr-spec ">"}; the cursor is after {@code <}. */
    private static Address angle(ByteArrayBuffer buf, ParserCursor cursor, String name) {
        String inner = P.parseValue(buf, cursor, ANGLE_END).trim();
        if (!cursor.atEnd()) {
            cursor.updatePos(cursor.getPos() + 1);
        }
        String route = null;
        if (inner.startsWith("@")) {
            int colon = inner.indexOf(':');
            if (colon > 0) {
                route = inner.substring(0, colon).trim();
                inner = inner.substring(colon + 1).trim();
            }
        }
        Address a = addrSpec(name.isEmpty() ? null : name, inner);
        return new Address(a.name(), route, a.mailbox(), a.host());
    }

    private static Address addrSpec(String name, String spec) {
        int at = spec.lastIndexOf('@');
        String mailbox = (at < 0 ? spec : spec.substring(0, at)).trim();
        String host = at < 0 ? "" : spec.substring(at + 1).trim();
        return new Address(name, null, mailbox.isEmpty() ? MISSING_MAILBOX : mailbox,
                host.isEmpty() ? MISSING_DOMAIN : host);
    }
}
