package org.mailroom.core.relay;

import org.mailroom.core.address.MailAddress;

/**
 * The relay matrix of ARCHITECTURE.md, the one pure function that smtp-ingress (at RCPT time) and
 * policy-service (after the queue, authoritatively) both call.
 *
 * <pre>
 * sender \ recipient | local                  | global
 * local              | DELIVER                | RELAY (outbound caution: limits, DKIM, own addresses)
 * global             | DELIVER_WITH_CAUTION   | DENY  (554 5.7.1 relay access denied)
 * </pre>
 * A sender is local when it authenticated or its IP is in a trusted network; a recipient is local
 * when its domain is hosted here.
 */
public final class RelayMatrix {

    public enum Decision {
        /** Local sender, local recipient. */
        DELIVER,
        /** Internet sender, local recipient: deliver after SPF, DKIM, DMARC, DNSBL and per-IP limits. */
        DELIVER_WITH_CAUTION,
        /** Local sender, remote recipient: relay outward under outbound limits. */
        RELAY,
        /** Internet sender, remote recipient: open relay, refused. */
        DENY;

        public boolean accepted() {
            return this != DENY;
        }

        public boolean local() {
            return this == DELIVER || this == DELIVER_WITH_CAUTION;
        }
    }

    public static Decision decide(boolean senderLocal, boolean recipientLocal) {
        if (recipientLocal) {
            return senderLocal ? Decision.DELIVER : Decision.DELIVER_WITH_CAUTION;
        }
        return senderLocal ? Decision.RELAY : Decision.DENY;
    }

    /**
     * True for the classic tricks that make a local-looking address route elsewhere: a local part
     * carrying {@code %} (the percent hack), {@code !} (bang paths, RFC 976), or {@code @} (a quoted
     * {@code "user@remote"@local}, or {@code user@remote@local}). Such recipients are never treated
     * as local: a server that accepted them for a hosted domain could be made to relay by a later
     * hop that interprets them. Source routes are stripped by the path parser (RFC 5321 §4.1.1.3,
     * Appendix C) and so never reach here.
     */
    public static boolean isRoutingTrick(MailAddress address) {
        String local = address.localPart();
        return local.indexOf('%') >= 0 || local.indexOf('!') >= 0 || local.indexOf('@') >= 0;
    }

    private RelayMatrix() {}
}
