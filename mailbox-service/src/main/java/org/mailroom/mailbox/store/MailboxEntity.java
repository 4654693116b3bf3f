package org.mailroom.mailbox.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An IMAP mailbox of one account (table {@code mailbox.mailboxes}). */
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

    @Column(name = "special_use")
    public String specialUse;

    @Column(name = "uid_validity", nullable = false)
    public long uidValidity;

    @Column(name = "uid_next", nullable = false)
    public long uidNext = 1;

    @Column(name = "highest_modseq", nullable = false)
    public long highestModseq = 1;

    public boolean subscribed = true;
}
