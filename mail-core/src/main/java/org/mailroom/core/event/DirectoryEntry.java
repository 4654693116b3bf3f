package org.mailroom.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * One entity of the directory that policy-service owns, on the compacted topic
 * {@link org.mailroom.core.Topics#DIRECTORY} under the key {@link #key()}. A deletion is a
 * tombstone: the key with a null value. Read models (smtp-ingress, mailbox-service) rebuild the
 * whole directory from this topic alone.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DirectoryEntry.Domain.class, name = "domain"),
    @JsonSubTypes.Type(value = DirectoryEntry.Account.class, name = "account"),
    @JsonSubTypes.Type(value = DirectoryEntry.Alias.class, name = "alias"),
    @JsonSubTypes.Type(value = DirectoryEntry.Network.class, name = "network")
})
public sealed interface DirectoryEntry extends Event {

    /** The record key: {@code kind:id}, for example {@code account:alice@example.test}. */
    String key();

    /** A hosted domain, A-label canonical; {@code catchAll} is the mailbox that takes unknown users, or null. */
    record Domain(String name, String catchAll) implements DirectoryEntry {
        public Domain {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String key() {
            return "domain:" + name;
        }
    }

    /**
     * An account: its canonical address, its password hash in PHC or crypt form (Argon2id or
     * bcrypt, as Dovecot stores them), whether it may log in and receive, and its quota in octets
     * (0: none).
     */
    record Account(String address, String passwordHash, boolean enabled, long quotaBytes) implements DirectoryEntry {
        public Account {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String key() {
            return "account:" + address;
        }
    }

    /** An alias: its canonical address and its targets, local or remote. */
    record Alias(String address, List<String> targets) implements DirectoryEntry {
        public Alias {
            Objects.requireNonNull(address, "address");
            targets = List.copyOf(targets);
        }

        @Override
        public String key() {
            return "alias:" + address;
        }
    }

    /** A trusted network in CIDR form (IPv4 or IPv6): its clients are local senders. */
    record Network(String cidr) implements DirectoryEntry {
        public Network {
            Objects.requireNonNull(cidr, "cidr");
        }

        @Override
        public String key() {
            return "network:" + cidr;
        }
    }
}
