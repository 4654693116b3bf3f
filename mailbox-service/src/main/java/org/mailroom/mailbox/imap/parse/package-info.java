/**
 * The IMAP4rev1 command grammar, pure and socket-free: {@link org.mailroom.mailbox.imap.parse.ImapFramer}
 * cuts bytes into commands (lines and literals, RFC 3501 §4.3, LITERAL+ RFC 7888) within limits,
 * {@link org.mailroom.mailbox.imap.parse.ImapParser} turns a command into an
 * {@link org.mailroom.mailbox.imap.parse.ImapCommand} or a
 * {@link org.mailroom.mailbox.imap.parse.ParseError} carrying its reply, and
 * {@link org.mailroom.mailbox.imap.parse.MailboxName} is the modified UTF-7 codec (RFC 3501 §5.1.3).
 *
 * <p>Covered: every RFC 3501 command and the §9 grammar they use; IDLE and DONE (RFC 2177), MOVE
 * (RFC 6851), NAMESPACE (RFC 2342), ID (RFC 2971), ENABLE (RFC 5161), UNSELECT (RFC 3691),
 * UID EXPUNGE (RFC 4315), SASL-IR (RFC 4959).
 *
 * <p>Not covered: literal8 and BINARY (RFC 3516), CONDSTORE/QRESYNC parameters (RFC 7162), SEARCHRES
 * {@code $} (RFC 5182), ESEARCH RETURN options (RFC 4731), LIST-EXTENDED selection and return options
 * (RFC 5258), STATUS SIZE (RFC 8438), MULTIAPPEND and CATENATE, SEARCH charsets other than US-ASCII
 * and UTF-8. Which command is allowed in which state is the session's business, not the parser's.
 */
package org.mailroom.mailbox.imap.parse;
