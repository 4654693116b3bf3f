package org.mailroom.mailbox.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** mailbox-service settings; docs/configuration/mailbox-service.md lists every key with its default. */
@ConfigMapping(prefix = "mailbox")
public interface MailboxConfig {

    /** The host name announced in greetings. */
    @WithDefault("localhost")
    String hostname();

    /** Bearer token of the HTTP API ({@code /api/v1}); without one the API answers 401 to everyone. */
    Optional<String> adminToken();

    Tls tls();

    Pop3 pop3();

    Imap imap();

    Auth auth();

    Ingest ingest();

    Memory memory();

    /**
     * What message bodies served to clients may hold in memory, all sessions together (IMAP FETCH
     * of whole bodies and sections; APPEND literals). A request beyond it waits its turn.
     */
    interface Memory {
        /** Octets of bodies held at once, counted about three times per body served (read, cut, encoded). */
        @WithDefault("100663296")
        long bodies();

        /** How long a request waits for its share before it is answered with a temporary failure. */
        @WithDefault("30s")
        Duration maxWait();
    }

    /** PEM certificate chain and private key for STLS and the implicit-TLS listener. */
    interface Tls {
        Optional<Path> cert();

        Optional<Path> key();
    }

    interface Pop3 {
        @WithDefault("true")
        boolean enabled();

        /** Address the POP3 listeners bind to. */
        @WithDefault("0.0.0.0")
        String host();

        /** RFC 1939 port with STLS (RFC 2595); 0 picks a free port. */
        @WithDefault("2110")
        int port();

        /** Implicit TLS port (RFC 8314); 0 picks a free port. */
        @WithDefault("2995")
        int tlsPort();

        /** Allow USER/PASS and AUTH PLAIN before STLS (RFC 2595 §2.1 advises against it). */
        @WithDefault("false")
        boolean allowPlaintextAuth();

        /** RFC 1939 §3: the inactivity autologout timer is at least 10 minutes. */
        @WithDefault("10m")
        Duration idleTimeout();

        /** Longest command line accepted, CRLF included (RFC 2449 §4: 255 octets; AUTH needs more). */
        @WithDefault("8192")
        int maxLineLength();
    }

    interface Imap {
        @WithDefault("true")
        boolean enabled();

        /** Address the IMAP listeners bind to. */
        @WithDefault("0.0.0.0")
        String host();

        /** RFC 3501 port with STARTTLS; 0 picks a free port. */
        @WithDefault("2143")
        int port();

        /** Implicit TLS port (RFC 8314 §3.3); 0 picks a free port. */
        @WithDefault("2993")
        int tlsPort();

        /** Allow LOGIN and AUTHENTICATE before STARTTLS (RFC 3501 §6.2.3 LOGINDISABLED otherwise). */
        @WithDefault("false")
        boolean allowPlaintextAuth();

        /** RFC 3501 §5.4: the autologout timer is at least 30 minutes. */
        @WithDefault("31m")
        Duration idleTimeout();

        /** Longest command line segment (between literals), CRLF included. */
        @WithDefault("65536")
        int maxLineLength();

        /** Largest literal, hence the largest message APPEND takes (octets). */
        @WithDefault("52428800")
        int maxLiteralSize();

        /** Largest command, lines and literals together (octets). */
        @WithDefault("53477376")
        long maxCommandSize();
    }

    /** The delay before a failed login is answered: base × 2^(failures − 1), capped. */
    interface Auth {
        @WithDefault("1s")
        Duration failureDelay();

        @WithDefault("30s")
        Duration maxFailureDelay();

        /** Failures older than this are forgotten. */
        @WithDefault("15m")
        Duration failureWindow();
    }

    interface Ingest {
        /** First retry delay of a batch whose transaction failed; doubles up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /** A batch transaction not done by then counts as failed and is retried. */
        @WithDefault("60s")
        Duration transactionTimeout();

        /**
         * Status events in flight at once per batch; at least max.poll.records, so a batch's
         * events go out together instead of in waves that each wait for the broker.
         */
        @WithDefault("512")
        int statusConcurrency();
    }
}
