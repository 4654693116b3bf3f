package org.mailroom.mailbox.imap.parse;

import java.util.Optional;

/** What {@link ImapFramer#feed} yields, in wire order. */
public sealed interface FramerEvent {

    /** A complete command, ready for {@link ImapParser#parse}. */
    /**
     * A complete command; {@code heldOctets} of its literals were reserved from the framer's
     * {@link ImapFramer.LiteralMemory}, and are to be released once the command has been handled.
     */
    record Command(RawCommand command, long heldOctets) implements FramerEvent {
        public Command(RawCommand command) {
            this(command, 0);
        }
    }

    /**
     * A synchronising literal {@code {n}} was accepted: the server must now send
     * {@code + Ready for literal data} (RFC 3501 §7.5) before the client sends the octets.
     */
    record NeedContinuation(Optional<String> tag, long size) implements FramerEvent {
    }

    /** The limit a refused command crossed. */
    enum Limit {
        /** The instance's memory for literals is spent for now (a temporary condition). */
        MEMORY,
        /** One line segment (between literals) is longer than the maximum line length. */
        LINE,
        /** A literal announces more octets than the maximum literal size. */
        LITERAL,
        /** Lines and literals together exceed the maximum command size. */
        COMMAND
    }

    /**
     * A command was refused because it crossed a limit; nothing of it is held and the rest of it is
     * skipped. The server answers {@code tag BAD [TOOBIG] ...} (RFC 4469 §5 and RFC 7888 §4 use TOOBIG;
     * an untagged {@code * BAD} when the tag is unknown). For a refused synchronising literal the
     * continuation was never requested, so the client does not send the octets (RFC 3501 §7.5) and the
     * command is over. For a LITERAL+ literal the announced octets are skipped without being stored.
     *
     * @param size the announced literal size, or the octets seen so far for LINE/COMMAND
     * @param synchronising true when a synchronising literal {@code {n}} was refused: no continuation
     *     is sent and the client sends nothing more of the command
     * @param closeConnection true when the framer cannot find the next command (a non-synchronising
     *     literal whose size does not even fit a long); the framer then ignores all further input and
     *     the server should answer and close; this can come as a second TooBig for a command already
     *     refused, when the skipped rest of it announces such a literal
     */
    record TooBig(Optional<String> tag, Limit limit, long size, boolean synchronising, boolean closeConnection) implements FramerEvent {

        /**
         * The suggested reply without CRLF: {@code tag NO [TOOBIG] ...} for a synchronising literal
         * (the command was never sent in full, like an APPEND over APPENDLIMIT, RFC 7889 §4), else
         * {@code tag BAD [TOOBIG] ...} (RFC 7888 §4); {@code *} when the tag is unknown.
         */
        public String replyLine() {
            if (limit == Limit.MEMORY) { // RFC 5530 §3: temporary, try again later
                return tag.orElse("*") + " NO [UNAVAILABLE] server busy, literal refused; try again";
            }
            String status = synchronising ? "NO" : "BAD";
            String what = limit == Limit.LINE ? "command line too long"
                    : limit == Limit.LITERAL ? "literal too big" : "command too big";
            return tag.orElse("*") + " " + status + " [TOOBIG] " + what;
        }
    }
}
