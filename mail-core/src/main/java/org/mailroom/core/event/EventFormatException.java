package org.mailroom.core.event;

/** A record that is not a well-formed event of the expected type: it goes to the dead-letter topic. */
public class EventFormatException extends RuntimeException {

    public EventFormatException(String message) {
        super(message);
    }

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
