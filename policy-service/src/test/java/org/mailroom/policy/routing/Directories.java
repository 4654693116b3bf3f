package org.mailroom.policy.routing;

import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.policy.directory.DirectoryView;

/** A small directory builder for pure tests. */
final class Directories {

    private final List<DirectoryEntry> entries = new ArrayList<>();

    static Directories of() {
        return new Directories();
    }

    Directories domain(String name) {
        entries.add(new DirectoryEntry.Domain(name, null));
        return this;
    }

    Directories domain(String name, String catchAll) {
        entries.add(new DirectoryEntry.Domain(name, catchAll));
        return this;
    }

    Directories account(String address) {
        entries.add(new DirectoryEntry.Account(address, "$2y$hash", true, 0));
        return this;
    }

    Directories disabled(String address) {
        entries.add(new DirectoryEntry.Account(address, "$2y$hash", false, 0));
        return this;
    }

    Directories alias(String address, String... targets) {
        entries.add(new DirectoryEntry.Alias(address, List.of(targets)));
        return this;
    }

    Directories network(String cidr) {
        entries.add(new DirectoryEntry.Network(cidr));
        return this;
    }

    DirectoryView build() {
        return DirectoryView.of(entries);
    }
}
