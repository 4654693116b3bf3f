package org.mailroom.mailbox.imap.parse;

import java.util.Optional;

/**
 * A command the parser refused, carrying its reply: usually {@code tag BAD reason} (RFC 3501 §7.1.3),
 * {@code tag NO [BADCHARSET ...]} for an unsupported SEARCH charset (RFC 3501 §6.4.4).
 *
 * @param tag the command's tag, empty when the tag itself is malformed (reply untagged {@code * BAD})
 * @param code a response code without brackets, such as {@code BADCHARSET (US-ASCII UTF-8)}
 */
public record ParseError(Optional<String> tag, Status status, Optional<String> code, String reason)
        implements ParseResult {

    /** The tagged status of the reply. */
    public enum Status { NO, BAD }

    static ParseError bad(Optional<String> tag, String reason) {
        return new ParseError(tag, Status.BAD, Optional.empty(), reason);
    }

    /** The reply line without CRLF, e.g. {@code A1 BAD unterminated quoted string}. */
    public String replyLine() {
        return tag.orElse("*") + " " + status + " " + code.map(c -> "[" + c + "] ").orElse("") + reason;
    }
}
