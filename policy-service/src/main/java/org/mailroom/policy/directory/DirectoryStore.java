package org.mailroom.policy.directory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailroom.core.event.DirectoryEntry;

/**
 * Reads of the whole directory, and the trusted networks, whose {@code cidr} column PostgreSQL
 * validates and canonicalises ({@code text(cidr)}), hence native SQL. Every method runs in the
 * caller's Hibernate Reactive session.
 */
@ApplicationScoped
public class DirectoryStore {

    /** A trusted network as stored: canonical CIDR text. */
    public record Network(String cidr, String description, OffsetDateTime createdAt) {}

    /** Every entry of the directory, in a stable order (domains, accounts, aliases, networks). */
    public Uni<List<DirectoryEntry>> entries() {
        return DomainEntity.<DomainEntity>listAll().chain(domains -> AccountEntity.<AccountEntity>listAll()
                .chain(accounts -> AliasEntity.<AliasEntity>listAll()
                        .chain(aliases -> networks().map(networks -> {
                            List<DirectoryEntry> all = new ArrayList<>();
                            domains.forEach(d -> all.add(d.entry()));
                            accounts.forEach(a -> all.add(a.entry()));
                            aliases.forEach(a -> all.add(a.entry()));
                            networks.forEach(n -> all.add(new DirectoryEntry.Network(n.cidr())));
                            return all;
                        }))));
    }

    public Uni<DirectoryView> view() {
        return entries().map(DirectoryView::of);
    }

    public Uni<List<Network>> networks() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT text(cidr), description, created_at FROM policy.networks ORDER BY cidr", Object[].class)
                .getResultList())
                .map(rows -> rows.stream().map(DirectoryStore::network).toList());
    }

    /** The canonical text PostgreSQL gives a CIDR ({@code 2001:DB8::/32} → {@code 2001:db8::/32}). */
    public Uni<String> canonicalCidr(String cidr) {
        return Panache.getSession().chain(s -> s
                .createNativeQuery("SELECT text(cast(cast(?1 AS text) AS cidr))", String.class)
                .setParameter(1, cidr).getSingleResult());
    }

    public Uni<Optional<Network>> network(String canonical) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT text(cidr), description, created_at FROM policy.networks"
                                + " WHERE cidr = cast(cast(?1 AS text) AS cidr)",
                        Object[].class)
                .setParameter(1, canonical).getResultList())
                .map(rows -> rows.stream().findFirst().map(DirectoryStore::network));
    }

    public Uni<Integer> insertNetwork(String canonical, String description) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "INSERT INTO policy.networks (cidr, description)"
                                + " VALUES (cast(cast(?1 AS text) AS cidr), ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, canonical).setParameter(2, description).executeUpdate());
    }

    public Uni<Integer> updateNetwork(String canonical, String description) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "UPDATE policy.networks SET description = ?2 WHERE cidr = cast(cast(?1 AS text) AS cidr)")
                .setParameter(1, canonical).setParameter(2, description).executeUpdate());
    }

    public Uni<Integer> deleteNetwork(String canonical) {
        return Panache.getSession().chain(s -> s.createNativeQuery("DELETE FROM policy.networks WHERE cidr = cast(cast(?1 AS text) AS cidr)")
                .setParameter(1, canonical).executeUpdate());
    }

    private static Network network(Object[] row) {
        return new Network((String) row[0], (String) row[1], row[2] == null ? null : toOffset(row[2]));
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        return null;
    }
}
