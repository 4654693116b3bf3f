package org.mailroom.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** policy-service's own settings; every key is listed in docs/configuration/policy-service.md. */
@ConfigMapping(prefix = "policy")
public interface PolicyConfig {

    /**
     * The bearer token of the admin API ({@code MAILROOM_ADMIN_TOKEN}). Without one, every admin
     * call is refused: there is no anonymous access.
     */
    Optional<String> adminToken();

    /** Base URL of mailbox-service's HTTP API, asked before an account or domain is removed. */
    @WithDefault("http://127.0.0.1:8084")
    URI mailboxServiceUrl();

    /** How long to wait for mailbox-service's answer. */
    @WithDefault("5s")
    Duration mailboxServiceTimeout();

    Directory directory();

    Routing routing();

    StatusBounces statusBounces();

    interface Directory {
        /** How often the in-memory directory is reloaded from the database (other instances' changes). */
        @WithDefault("30s")
        Duration refreshInterval();

        /** After a failed publication, how soon the whole directory is published again. */
        @WithDefault("10s")
        Duration republishInterval();
    }

    interface Routing {
        /** Whether this instance consumes mail.inbound. */
        @WithDefault("true")
        boolean enabled();

        /** Consumer group of the routing consumer. */
        @WithDefault("policy-service")
        String groupId();

        /**
         * Kafka transactional.id of the routing producer. Unset: a fresh random one per start
         * (always safe; zombies are fenced by the consumer group generation, KIP-447). A stable id per
         * instance (a StatefulSet pod name) lets a restart abort a dangling transaction at once
         * rather than after {@code transaction-timeout}.
         */
        Optional<String> transactionalId();

        /** Kafka transaction.timeout.ms: how long a crashed instance's open transaction blocks read_committed readers. */
        @WithDefault("60s")
        Duration transactionTimeout();

        /**
         * Records per poll and per transaction. A transaction costs a few broker round trips
         * whatever it holds, so small messages go many to one; what one holds is bounded by
         * {@link #maxTransactionBytes()}.
         */
        @WithDefault("500")
        int maxPollRecords();

        /** Bytes of consumed records per transaction (a larger record, up to Topics.MAX_RECORD_BYTES, alone). */
        @WithDefault("4194304")
        long maxTransactionBytes();

        /** Bound on nested alias expansions; deeper is a 5.4.6 failure. */
        @WithDefault("10")
        int maxAliasDepth();

        /** Host name in DSNs (Reporting-MTA, MAILER-DAEMON@host); default: this machine's name. */
        Optional<String> reportingHost();

        /** Pause after a failed transaction before the batch is retried. */
        @WithDefault("1s")
        Duration retryBackoff();
    }

    /**
     * The bounce of deliveries refused after routing: mail.status is read for {@code REJECTED}
     * events that carry their original (mailbox-service over quota), and a DSN goes to the sender.
     * The transaction timeout, retry back-off and reporting host are the routing loop's.
     */
    interface StatusBounces {
        /** Whether this instance consumes mail.status. */
        @WithDefault("true")
        boolean enabled();

        /** Consumer group of mail.status; every instance uses the same one. */
        @WithDefault("policy-service-status")
        String groupId();

        /** Kafka transactional.id of this loop (never the routing loop's). Unset: a fresh random one per start. */
        Optional<String> transactionalId();

        /** Records per transaction (status records are small). */
        @WithDefault("500")
        int maxPollRecords();

        /** How many bounced (queue id, recipient) pairs are remembered to recognise a rejection reported again. */
        @WithDefault("100000")
        int remembered();
    }
}
