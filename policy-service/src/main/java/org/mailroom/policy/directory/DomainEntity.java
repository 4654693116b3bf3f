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

/** A hosted domain (table {@code policy.domains}); {@code name} is the canonical A-label form. */
@Entity
@Table(name = "domains")
public class DomainEntity extends PanacheEntityBase {

    @Id
    public String name;

    @Column(name = "unicode_name", nullable = false)
    public String unicodeName;

    @Column(name = "catch_all")
    public String catchAll;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public DirectoryEntry.Domain entry() {
        return new DirectoryEntry.Domain(name, catchAll);
    }
}
