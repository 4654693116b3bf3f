package org.mailroom.ingress.protocol;

import java.util.Locale;
import org.mailroom.core.address.MailAddress;

/** RFC 5321 §4.1.2 Reverse-path and Forward-path, in angle brackets. */
final class Paths {

    /** The address of {@code <...>}, "" for {@code <>}, or null when malformed. */
    static String reversePath(String bracketed) {
        if (bracketed.equals("<>")) {
            return "";
        }
        return path(bracketed);
    }

    /**
     * The address of a forward-path. {@code <Postmaster>} without a domain is allowed (RFC 5321
     * §4.1.1.3) and returned as "postmaster".
     */
    static String forwardPath(String bracketed) {
        if (bracketed.equalsIgnoreCase("<postmaster>")) {
            return "postmaster";
        }
        if (bracketed.equals("<>")) {
            return null;
        }
        return path(bracketed);
    }

    private static String path(String bracketed) {
        if (bracketed.length() < 3 || bracketed.charAt(0) != '<' || bracketed.charAt(bracketed.length() - 1) != '>') {
            return null;
        }
        String inner = bracketed.substring(1, bracketed.length() - 1);
        // RFC 5321 §4.1.1.3 and Appendix C: a source route "@a,@b:user@c" is accepted and ignored;
        // the mail goes to the final mailbox, so "@local:user@remote" is relayed to remote (and so
        // refused for internet senders by the relay rules).
        if (inner.startsWith("@")) {
            int colon = inner.indexOf(':');
            if (colon < 0) {
                return null;
            }
            for (String hop : inner.substring(0, colon).split(",", -1)) {
                if (hop.length() < 2 || hop.charAt(0) != '@' || MailAddress.canonicalDomain(hop.substring(1)).isEmpty()) {
                    return null;
                }
            }
            inner = inner.substring(colon + 1);
        }
        return MailAddress.parse(inner).isPresent() ? inner : null;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private Paths() {}
}
