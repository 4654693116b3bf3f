package org.mailroom.ingress.session;

/**
 * What one session needs to know of its listener and limits.
 *
 * @param hostname             announced in the greeting, EHLO and Received
 * @param maxMessageSize       SIZE (RFC 1870)
 * @param maxRecipients        RFC 5321 §4.5.3.1.8: at least 100
 * @param maxErrors            bad commands before 421 and disconnect
 * @param tlsAvailable         a certificate is configured (STARTTLS offered)
 * @param authWithoutTls       AUTH offered in clear text (loopback tests only)
 */
public record SessionSettings(Listener listener, String hostname, long maxMessageSize, int maxRecipients,
        int maxErrors, boolean tlsAvailable, boolean authWithoutTls) {}
