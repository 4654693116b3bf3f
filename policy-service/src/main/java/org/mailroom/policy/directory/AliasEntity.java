package org.mailroom.policy.directory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;
import org.mailroom.core.event.DirectoryEntry;

/** An alias (table {@code policy.aliases}): a canonical address and its targets, local or remote. */
@Entity
@Table(name = "aliases")
public class AliasEntity extends PanacheEntityBase {

    @Id
    public String address;

    @Column(nullable = false)
    public String domain;

    @Column(nullable = false)
    public String[] targets;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public DirectoryEntry.Alias entry() {
        return new DirectoryEntry.Alias(address, List.of(targets));
    }
}
