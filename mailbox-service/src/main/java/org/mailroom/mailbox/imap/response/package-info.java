/**
 * Pure encoders of IMAP4rev1 response data for FETCH and SEARCH (RFC 3501 §7.4.2, §6.4.4,
 * §6.4.5): {@link org.mailroom.mailbox.imap.response.ImapWire} writes strings (atom, quoted,
 * literal, NIL), {@link org.mailroom.mailbox.imap.response.EnvelopeEncoder} the ENVELOPE,
 * {@link org.mailroom.mailbox.imap.response.BodyStructureEncoder} BODY and BODYSTRUCTURE,
 * {@link org.mailroom.mailbox.imap.response.SectionExtractor} the octets of BODY[section], and
 * {@link org.mailroom.mailbox.imap.response.SearchText} the text and sent-date SEARCH keys.
 *
 * <p>No sockets, no database. Every public method is total on any octets (malformed, truncated,
 * 8-bit, binary, hostile): it never throws and holds memory bounded by a small multiple of the
 * message, with MIME nesting and part counts capped (see {@code MimePart}). Header fields are
 * parsed with Apache James mime4j; the multipart framing is located by octet offsets here, since
 * mime4j gives none and sections must be exact views of the stored message.
 *
 * <p>Not covered: BINARY (RFC 3516), RFC 2231 parameter continuations are passed through
 * undecoded, SEARCH of non-text attachments, comments as display names in ENVELOPE.
 */
package org.mailroom.mailbox.imap.response;
