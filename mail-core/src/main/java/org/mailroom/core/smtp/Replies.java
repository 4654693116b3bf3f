package org.mailroom.core.smtp;

/**
 * Replies that both ends of SMTP name: the server sends them, the client recognises them. Text
 * is what the RFC examples and common servers use, so operators recognise it in logs.
 */
public final class Replies {

    public static final Reply OK = Reply.of(250, "2.0.0", "OK");
    public static final Reply SENDER_OK = Reply.of(250, "2.1.0", "sender OK");
    public static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "recipient OK");
    public static final Reply START_DATA = Reply.plain(354, "end data with <CR><LF>.<CR><LF>");
    public static final Reply BYE = Reply.of(221, "2.0.0", "bye");
    public static final Reply VRFY_CANNOT = Reply.of(252, "2.5.0", "cannot VRFY user, but will accept message and attempt delivery");

    /** RFC 5321 §4.2.4 and RFC 3463 §3.6: command unrecognised. */
    public static final Reply UNKNOWN_COMMAND = Reply.of(500, "5.5.2", "command not recognized");
    public static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "line too long");
    public static final Reply SYNTAX_ERROR = Reply.of(501, "5.5.4", "syntax error in parameters or arguments");
    public static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "command not implemented");
    public static final Reply BAD_SEQUENCE = Reply.of(503, "5.5.1", "bad sequence of commands");
    public static final Reply PARAM_NOT_IMPLEMENTED = Reply.of(555, "5.5.4", "MAIL FROM/RCPT TO parameters not recognized or not implemented");

    public static final Reply RELAY_DENIED = Reply.of(554, "5.7.1", "relay access denied");
    public static final Reply NO_SUCH_USER = Reply.of(550, "5.1.1", "no such user here");
    public static final Reply SENDER_NOT_OWNED = Reply.of(553, "5.7.1", "sender address not owned by the authenticated user");
    public static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "authentication required");
    public static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "too many recipients");
    public static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "message size exceeds fixed maximum message size");
    public static final Reply LOCAL_ERROR = Reply.of(451, "4.3.0", "local error, try again later");
    public static final Reply SHUTTING_DOWN = Reply.of(421, "4.3.2", "service shutting down, closing transmission channel");
    public static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "too many errors, closing transmission channel");
    public static final Reply TIMEOUT = Reply.of(421, "4.4.2", "timeout, closing transmission channel");

    private Replies() {}
}
