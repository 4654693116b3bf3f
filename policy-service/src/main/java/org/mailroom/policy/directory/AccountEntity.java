package org.mailroom.policy.directory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;
import org.mailroom.core.event.DirectoryEntry;

/** An account (table {@code policy.accounts}); {@code address} is canonical, the hash in PHC or crypt form. */
@Entity
@Table(name = "accounts")
public class AccountEntity extends PanacheEntityBase {

    @Id
    public String address;

    @Column(nullable = false)
    public String domain;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "quota_bytes", nullable = false)
    public long quotaBytes;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public DirectoryEntry.Account entry() {
        return new DirectoryEntry.Account(address, passwordHash, enabled, quotaBytes);
    }
}
