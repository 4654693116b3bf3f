package org.mailroom.mailbox.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;

/** One message in one mailbox (table {@code mailbox.messages}); the body is the blob it names. */
@Entity
@Table(name = "messages")
@IdClass(MessageEntity.Key.class)
public class MessageEntity extends PanacheEntityBase {

    @Id
    @Column(name = "mailbox_id")
    public long mailboxId;

    @Id
    public long uid;

    @Column(name = "blob_sha256", nullable = false)
    public byte[] blobSha256;

    public long size;

    @Column(name = "internal_date", nullable = false)
    public OffsetDateTime internalDate;

    public boolean seen;
    public boolean answered;
    public boolean flagged;
    public boolean deleted;
    public boolean draft;
    public long modseq;

    @Column(name = "queue_id")
    public String queueId;

    /** The primary key (mailbox, UID). */
    public static class Key implements Serializable {
        public long mailboxId;
        public long uid;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.mailboxId == mailboxId && k.uid == uid;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(mailboxId) * 31 + Long.hashCode(uid);
        }
    }
}
