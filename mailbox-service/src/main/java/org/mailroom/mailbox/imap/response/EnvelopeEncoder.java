package org.mailroom.mailbox.imap.response;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ENVELOPE of RFC 3501 §7.4.2: {@code (date subject from sender reply-to to cc bcc
 * in-reply-to message-id)}.
 *
 * <p>Values are the raw header values, unfolded and trimmed, not RFC 2047 decoded (the client
 * decodes; Dovecot and James answer the same); 8-bit octets make a literal. The first occurrence
 * of a field counts. Sender and reply-to that are absent or empty take the value of from
 * (§7.4.2). A missing field, or an address field without addresses, is NIL.
 */
public final class EnvelopeEncoder {

    private EnvelopeEncoder() {
    }

    /** Writes the envelope of {@code header}: a header section, or a whole message (its body is ignored). */
    public static void encode(Buffer out, byte[] header) {
        encode(out, MimePart.header(header == null ? new byte[0] : header));
    }

    static void encode(Buffer out, Header h) {
        List<AddressList.Address> from = addresses(h, "From");
        List<AddressList.Address> sender = addresses(h, "Sender");
        List<AddressList.Address> replyTo = addresses(h, "Reply-To");
        out.appendByte((byte) '(');
        raw(out, h, "Date");
        out.appendByte((byte) ' ');
        raw(out, h, "Subject");
        out.appendByte((byte) ' ');
        list(out, from);
        out.appendByte((byte) ' ');
        list(out, sender.isEmpty() ? from : sender);
        out.appendByte((byte) ' ');
        list(out, replyTo.isEmpty() ? from : replyTo);
        for (String name : new String[] {"To", "Cc", "Bcc"}) {
            out.appendByte((byte) ' ');
            list(out, addresses(h, name));
        }
        out.appendByte((byte) ' ');
        raw(out, h, "In-Reply-To");
        out.appendByte((byte) ' ');
        raw(out, h, "Message-ID");
        out.appendByte((byte) ')');
    }

    private static void raw(Buffer out, Header h, String name) {
        Header.Field f = h.first(name);
        ImapWire.nstring(out, f == null ? null : h.rawValue(f));
    }

    private static List<AddressList.Address> addresses(Header h, String name) {
        Header.Field f = h.first(name);
        return f == null ? List.of() : AddressList.parse(h.rawValue(f));
    }

    /** {@code (address ...)} or NIL (RFC 3501 §9 env-from etc.). */
    static void list(Buffer out, List<AddressList.Address> addresses) {
        if (addresses.isEmpty()) {
            out.appendString("NIL");
            return;
        }
        out.appendByte((byte) '(');
        for (AddressList.Address a : addresses) {
            out.appendByte((byte) '(');
            octets(out, a.name());
            out.appendByte((byte) ' ');
            octets(out, a.route());
            out.appendByte((byte) ' ');
            octets(out, a.mailbox());
            out.appendByte((byte) ' ');
            octets(out, a.host());
            out.appendByte((byte) ')');
        }
        out.appendByte((byte) ')');
    }

    private static void octets(Buffer out, String s) {
        ImapWire.nstring(out, s == null ? null : s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
