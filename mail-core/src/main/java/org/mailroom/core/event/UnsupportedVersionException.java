package org.mailroom.core.event;

/**
 * A record written by a newer producer in a version this build cannot read. It is refused whole,
 * never half-read: upgrade the consumer, or route the record to the dead-letter topic.
 */
public class UnsupportedVersionException extends EventFormatException {

    private final int version;

    public UnsupportedVersionException(String type, int version, int supported) {
        super("record of type " + type + " has version " + version + "; this build reads versions up to "
                + supported + ": upgrade this consumer");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
