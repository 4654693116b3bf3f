package org.mailroom.mailbox.pop3.protocol;

/** Extended response codes in brackets after {@code -ERR}: RFC 2449 §8 and RFC 3206. */
public enum ResponseCode {
    /** RFC 3206 §5: the credentials were wrong (or plaintext login refused). */
    AUTH("AUTH"),
    /** RFC 2449 §8.1.2: the maildrop is locked by another session. */
    IN_USE("IN-USE"),
    /** RFC 3206 §4: a temporary server fault; try again later. */
    SYS_TEMP("SYS/TEMP"),
    /** RFC 3206 §4: a permanent server condition. */
    SYS_PERM("SYS/PERM");

    private final String text;

    ResponseCode(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
