package org.mailroom.ingress.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** smtp-ingress settings; docs/configuration/smtp-ingress.md lists every key with its default. */
@ConfigMapping(prefix = "ingress")
public interface IngressConfig {

    /** The host name this instance announces in its greeting, EHLO and Received headers. */
    @WithDefault("localhost")
    String hostname();

    /** Address the SMTP listeners bind. */
    @WithDefault("0.0.0.0")
    String bindHost();

    /** Port 25's listener: MX for the internet. */
    ListenerConfig mx();

    /** Port 587's listener: submission (RFC 6409). */
    ListenerConfig submission();

    /** Port 465's listener: submissions, implicit TLS (RFC 8314). */
    ListenerConfig submissions();

    /** Largest message accepted, in octets, advertised as SIZE (RFC 1870). Default 25 MiB. */
    @WithDefault("26214400")
    long maxMessageSize();

    /**
     * Octets of message bodies all sessions together may hold while they are received and
     * published; beyond it a body is refused with 452 4.3.1 rather than exhausting memory. A held
     * body is copied once more while it is published (trace header, record), so the heap needs
     * about three times this: 64 MiB for deploy/local's 192 MiB (with 128 MiB, six clients sending
     * 24 MiB at once ran the ingress out of heap).
     */
    @WithDefault("67108864")
    long maxBufferedBytes();

    /** Recipients per message; RFC 5321 §4.5.3.1.8 requires at least 100. */
    @WithDefault("1000")
    int maxRecipients();

    /** Longest command line in octets, CRLF excluded (RFC 5321 §4.5.3.1.4 says 512, extensions add to it). */
    @WithDefault("2048")
    int maxLineLength();

    /** Bad commands in one session before 421 and disconnect. */
    @WithDefault("10")
    int maxErrors();

    /** Connections open at once, all listeners together. */
    @WithDefault("2000")
    int maxConnections();

    /** Connections open at once from one client address. */
    @WithDefault("50")
    int maxConnectionsPerIp();

    /** Idle time allowed between commands (RFC 5321 §4.5.3.2.7: at least 5 minutes). */
    @WithDefault("5m")
    Duration commandTimeout();

    /** Idle time allowed while a message body is being received (RFC 5321 §4.5.3.2.5: 3 minutes per block). */
    @WithDefault("10m")
    Duration dataTimeout();

    /** How long a publish to mail.inbound may take before the client gets 451 4.3.0. */
    @WithDefault("15s")
    Duration publishTimeout();

    /** On shutdown, how long in-flight transactions may take to finish. */
    @WithDefault("20s")
    Duration shutdownGrace();

    /** Offer AUTH without TLS (tests on loopback only; never in production). */
    @WithDefault("false")
    boolean authWithoutTls();

    /** One SMTP listener. */
    interface ListenerConfig {
        /** TCP port; 0 picks a free one (tests). */
        int port();

        /** Whether the listener runs. */
        @WithDefault("true")
        boolean enabled();

        /** Expect a PROXY protocol v1/v2 header first (behind a load balancer that sends one). */
        @WithDefault("false")
        boolean proxyProtocol();
    }
}
