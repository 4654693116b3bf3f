package org.mailroom.mailbox.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An IMAP mailbox of one account (table {@code mailbox.mailboxes}). {@code uidNext},
 * {@code highestModseq}, {@code messageCount} and {@code totalSize} change only under the row
 * lock, in the transaction that adds or removes messages.
 */
@Entity
@Table(name = "mailboxes")
public class MailboxEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String account;

    @Column(nullable = false)
    public String name;

    /** RFC 6154 role such as {@code \Sent}, or null. */
    @Column(name = "special_use")
    public String specialUse;

    @Column(name = "uid_validity", nullable = false)
    public long uidValidity;

    @Column(name = "uid_next", nullable = false)
    public long uidNext = 1;

    @Column(name = "highest_modseq", nullable = false)
    public long highestModseq = 1;

    @Column(name = "message_count", nullable = false)
    public long messageCount;

    @Column(name = "total_size", nullable = false)
    public long totalSize;

    public boolean subscribed = true;
}
