package org.mailroom.mailbox.imap.parse;

/** What {@link ImapParser#parse} returns: a command or a parse error, never an exception. */
public sealed interface ParseResult permits ImapCommand, ParseError {
}
