package org.mailroom.mailbox.imap.session;

/** What the connection does once a command has been answered. */
public enum Action {
    /** Read the next command. */
    NONE,
    /** Start the TLS handshake (RFC 3501 §6.2.1); nothing read before it counts. */
    START_TLS,
    /** Close the connection (LOGOUT, or a BYE). */
    CLOSE,
    /** The session is idling (RFC 2177): changes are pushed until the client sends DONE. */
    IDLE,
    /** The session sent a continuation and waits for the client's SASL response line. */
    SASL_RESPONSE
}
