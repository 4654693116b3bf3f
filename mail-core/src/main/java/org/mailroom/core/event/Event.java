package org.mailroom.core.event;

/**
 * A record on one of the topics of {@link org.mailroom.core.Topics}. Every event has a wire type
 * and a version; {@link EventCodec} writes and reads them (docs/events.md).
 */
public sealed interface Event permits InboundMessage, LocalDelivery, OutboundDelivery, StatusEvent, DirectoryEntry {
}
