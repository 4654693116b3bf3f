package org.mailroom.ingress.directory;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.ingress.relay.DirectoryView;

/**
 * smtp-ingress's read model of the directory, rebuilt from the compacted {@code mail.directory}
 * topic alone (entries and tombstones applied in order). Written by one loader thread, read by the
 * event loops.
 */
public final class DirectoryReadModel implements DirectoryView {

    private final Map<String, DirectoryEntry.Domain> domains = new ConcurrentHashMap<>();
    private final Map<String, DirectoryEntry.Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, DirectoryEntry.Alias> aliases = new ConcurrentHashMap<>();
    private final Map<String, Cidr> networks = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile boolean healthy = true;

    /** Applies one record of the topic: an entry, or a tombstone (null entry) for its key. */
    public void apply(String key, DirectoryEntry entry) {
        if (entry == null) {
            remove(key);
            return;
        }
        if (entry instanceof DirectoryEntry.Domain d) {
            domains.put(d.name(), d);
        } else if (entry instanceof DirectoryEntry.Account a) {
            accounts.put(a.address(), a);
        } else if (entry instanceof DirectoryEntry.Alias a) {
            aliases.put(a.address(), a);
        } else if (entry instanceof DirectoryEntry.Network n) {
            Cidr cidr = Cidr.parse(n.cidr());
            if (cidr != null) {
                networks.put(n.cidr(), cidr);
            }
        }
    }

    private void remove(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) {
            return;
        }
        String id = key.substring(colon + 1);
        switch (key.substring(0, colon)) {
            case "domain" -> domains.remove(id);
            case "account" -> accounts.remove(id);
            case "alias" -> aliases.remove(id);
            case "network" -> networks.remove(id);
            default -> { }
        }
    }

    public void markCaughtUp() {
        caughtUp = true;
    }

    public void setHealthy(boolean healthy) {
        this.healthy = healthy;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public boolean usable() {
        return caughtUp && healthy;
    }

    @Override
    public boolean isHostedDomain(String domain) {
        return domains.containsKey(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean recipientExists(MailAddress address) {
        String canonical = address.canonical();
        if (reaches(canonical)) {
            return true;
        }
        String local = address.localPart().toLowerCase(Locale.ROOT);
        int plus = local.indexOf('+');
        if (plus > 0 && reaches(local.substring(0, plus) + "@" + address.domain())) {
            return true; // subaddressing: user+tag reaches user
        }
        DirectoryEntry.Domain domain = domains.get(address.domain());
        return domain != null && domain.catchAll() != null;
    }

    private boolean reaches(String canonical) {
        DirectoryEntry.Account account = accounts.get(canonical);
        return (account != null && account.enabled()) || aliases.containsKey(canonical);
    }

    @Override
    public boolean isTrusted(InetAddress client) {
        for (Cidr cidr : networks.values()) {
            if (cidr.contains(client)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<String> passwordHash(String account) {
        DirectoryEntry.Account a = accounts.get(account.toLowerCase(Locale.ROOT));
        return a != null && a.enabled() ? Optional.ofNullable(a.passwordHash()) : Optional.empty();
    }

    @Override
    public boolean mayUseSender(String account, MailAddress sender) {
        String canonical = sender.canonical();
        String user = account.toLowerCase(Locale.ROOT);
        if (canonical.equals(user)) {
            return true;
        }
        String local = sender.localPart().toLowerCase(Locale.ROOT);
        int plus = local.indexOf('+');
        if (plus > 0 && (local.substring(0, plus) + "@" + sender.domain()).equals(user)) {
            return true;
        }
        DirectoryEntry.Alias alias = aliases.get(canonical);
        return alias != null && alias.targets().stream().anyMatch(t -> t.equalsIgnoreCase(user));
    }

    public int size() {
        return domains.size() + accounts.size() + aliases.size() + networks.size();
    }
}
