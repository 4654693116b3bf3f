package org.mailroom.delivery.queue;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** One message still to be relayed to one remote domain (table {@code delivery.queue}). */
@Entity
@Table(name = "queue")
@IdClass(QueueEntry.Key.class)
public class QueueEntry extends PanacheEntityBase {

    @Id
    @Column(name = "queue_id")
    public String queueId;

    @Id
    public String domain;

    /** The mail.outbound record value, as received. */
    @Column(nullable = false)
    public byte[] record;

    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public OffsetDateTime nextAttemptAt;

    @Column(name = "last_reply")
    public String lastReply;

    /** The composite key (queue id, domain). */
    public static class Key implements Serializable {
        public String queueId;
        public String domain;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.queueId, queueId) && Objects.equals(k.domain, domain);
        }

        @Override
        public int hashCode() {
            return Objects.hash(queueId, domain);
        }
    }
}
