package org.mailroom.ingress.session;

import org.mailroom.core.event.InboundMessage;

/** What the network layer must do after sending an outcome's replies. */
public sealed interface Effect {

    Effect NONE = new None();

    record None() implements Effect {}

    /**
     * Switch the framer to DATA mode; {@code declaredSize} is MAIL's SIZE (RFC 1870), or -1: the
     * body's memory is reserved whole before it is read, so that clients sending large messages at
     * once are refused one by one rather than all starved halfway.
     */
    record ReadData(long declaredSize) implements Effect {
        public ReadData() {
            this(-1);
        }
    }

    /** Read exactly {@code size} octets of a BDAT chunk; {@code first} starts a new message. */
    record ReadChunk(long size, boolean first) implements Effect {}

    /** Drop buffered input and start the TLS handshake (RFC 3207); then call {@code tlsStarted}. */
    record StartTls() implements Effect {}

    /** Verify a password off the event loop; then call {@code authenticated}. */
    record Authenticate(String username, String password) implements Effect {}

    /** Publish to mail.inbound and pause input; then call {@code published} or {@code publishFailed}. */
    record Publish(InboundMessage message) implements Effect {}

    /** Close the connection after the replies. */
    record Close() implements Effect {}
}
