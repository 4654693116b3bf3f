package org.mailroom.policy.directory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

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

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", insertable = false)
    public OffsetDateTime updatedAt;
}
