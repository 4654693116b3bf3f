package org.mailroom.core;

import java.util.List;

/**
 * The Kafka topics between the services (ARCHITECTURE.md, "Kafka topics"). Names, keys and the
 * settings every deployment must give them live here so that no service spells them twice.
 */
public final class Topics {

    /** Key: queue id. Value: {@link org.mailroom.core.event.InboundMessage}. Produced by smtp-ingress and delivery-service (bounces). */
    public static final String INBOUND = "mail.inbound";
    /** Key: canonical local mailbox address. Value: {@link org.mailroom.core.event.LocalDelivery}. */
    public static final String LOCAL = "mail.local";
    /** Key: recipient domain (A-label). Value: {@link org.mailroom.core.event.OutboundDelivery}. */
    public static final String OUTBOUND = "mail.outbound";
    /** Key: queue id. Value: {@link org.mailroom.core.event.StatusEvent}. */
    public static final String STATUS = "mail.status";
    /** Key: entity id. Value: {@link org.mailroom.core.event.DirectoryEntry}, or null (tombstone). Compacted. */
    public static final String DIRECTORY = "mail.directory";
    /** Key: as on the source topic. Value: the undecodable record as it was; headers name the source and reason. */
    public static final String DEADLETTER = "mail.deadletter";

    /**
     * Largest record value in bytes: the default SIZE limit (25 MiB) plus the trace headers the
     * services prepend and the envelope metadata, rounded up. Broker {@code message.max.bytes},
     * topic {@code max.message.bytes}, producer {@code max.request.size} and consumer
     * {@code max.partition.fetch.bytes} are all set to at least this.
     */
    public static final int MAX_RECORD_BYTES = 32 * 1024 * 1024;

    /** Default advertised SIZE limit (RFC 1870): 25 MiB. */
    public static final long DEFAULT_MESSAGE_SIZE_LIMIT = 25L * 1024 * 1024;

    /** One topic and the settings it is created with. */
    public record Spec(String name, int partitions, boolean compacted, boolean carriesMessages) {}

    /** Every topic, as deploy/local/topics.conf and k8s KafkaTopic resources create them. */
    public static final List<Spec> ALL = List.of(
            new Spec(INBOUND, 6, false, true),
            new Spec(LOCAL, 6, false, true),
            new Spec(OUTBOUND, 6, false, true),
            new Spec(STATUS, 3, false, false),
            new Spec(DIRECTORY, 1, true, false),
            new Spec(DEADLETTER, 1, false, true));

    private Topics() {}
}
