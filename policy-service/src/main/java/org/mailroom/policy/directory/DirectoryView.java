package org.mailroom.policy.directory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailroom.core.event.DirectoryEntry;

/**
 * An immutable picture of the whole directory, built from the same {@link DirectoryEntry} values
 * that are published on {@code mail.directory}: what routing and alias validation read. Keys are
 * canonical (domains as A-labels, addresses with a lower-cased local part).
 */
public record DirectoryView(
        Map<String, DirectoryEntry.Domain> domains,
        Map<String, DirectoryEntry.Account> accounts,
        Map<String, DirectoryEntry.Alias> aliases,
        List<Cidr> networks) {

    public static final DirectoryView EMPTY = new DirectoryView(Map.of(), Map.of(), Map.of(), List.of());

    public DirectoryView {
        domains = Map.copyOf(domains);
        accounts = Map.copyOf(accounts);
        aliases = Map.copyOf(aliases);
        networks = List.copyOf(networks);
    }

    public static DirectoryView of(Collection<? extends DirectoryEntry> entries) {
        Map<String, DirectoryEntry.Domain> domains = new HashMap<>();
        Map<String, DirectoryEntry.Account> accounts = new HashMap<>();
        Map<String, DirectoryEntry.Alias> aliases = new HashMap<>();
        List<Cidr> networks = new ArrayList<>();
        for (DirectoryEntry e : entries) {
            if (e instanceof DirectoryEntry.Domain d) {
                domains.put(d.name(), d);
            } else if (e instanceof DirectoryEntry.Account a) {
                accounts.put(a.address(), a);
            } else if (e instanceof DirectoryEntry.Alias a) {
                aliases.put(a.address(), a);
            } else if (e instanceof DirectoryEntry.Network n && Cidr.parse(n.cidr()) instanceof Cidr.Valid v) {
                networks.add(v.cidr());
            }
        }
        return new DirectoryView(domains, accounts, aliases, networks);
    }

    /** The same directory with one entry added or replaced. */
    public DirectoryView with(DirectoryEntry entry) {
        List<DirectoryEntry> all = new ArrayList<>(entries());
        all.removeIf(e -> e.key().equals(entry.key()));
        all.add(entry);
        return of(all);
    }

    /** Every entry, as published. Networks come back in their parsed text form. */
    public List<DirectoryEntry> entries() {
        List<DirectoryEntry> all = new ArrayList<>();
        all.addAll(domains.values());
        all.addAll(accounts.values());
        all.addAll(aliases.values());
        networks.forEach(n -> all.add(new DirectoryEntry.Network(n.toString())));
        return all;
    }

    public boolean hosts(String domain) {
        return domains.containsKey(domain);
    }

    public Optional<String> catchAll(String domain) {
        DirectoryEntry.Domain d = domains.get(domain);
        return d == null ? Optional.empty() : Optional.ofNullable(d.catchAll());
    }

    /** True when the client IP (text) lies in a trusted network. */
    public boolean trusted(String clientIp) {
        Optional<InetAddress> ip = Cidr.parseIp(clientIp);
        return ip.isPresent() && networks.stream().anyMatch(n -> n.contains(ip.get()));
    }
}
