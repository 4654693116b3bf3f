package org.mailroom.mailbox.imap.parse;

/**
 * Internal control flow of the parsers: thrown at the first grammar violation and turned into a
 * {@link ParseError} by {@link ImapParser#parse}; never escapes the package's public API.
 */
final class ParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final ParseError.Status status;
    final String code;

    ParseException(String reason) {
        this(ParseError.Status.BAD, null, reason);
    }

    ParseException(ParseError.Status status, String code, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.code = code;
    }
}
