package org.mailroom.policy.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.relay.RelayMatrix;
import org.mailroom.core.smtp.Reply;
import org.mailroom.core.smtp.Replies;
import org.mailroom.policy.directory.DirectoryView;

/**
 * Where mail for one address goes, after the directory has had its say. Pure.
 *
 * <p>Order of lookup for an address of a hosted domain (the order Postfix's virtual(5) uses):
 * <ol>
 *   <li>an account with exactly that address: its mailbox (refused when disabled);</li>
 *   <li>an alias with exactly that address: each target, recursively;</li>
 *   <li>subaddressing: {@code user+tag} is looked up as {@code user} (account, then alias);</li>
 *   <li>the domain's catch-all, recursively;</li>
 *   <li>otherwise unknown: {@code 550 5.1.1}.</li>
 * </ol>
 * An address of a domain not hosted here is a remote target, kept as written. Loops are detected on
 * the path being expanded (a diamond, two aliases sharing a target, is no loop) and the depth is
 * bounded; both end that branch with {@code 5.4.6} (RFC 3463 §3.5, "routing loop detected").
 * Targets are de-duplicated: every mailbox appears once (canonical address), every remote address
 * once (domain canonical, local part as written: RFC 5321 §2.4 makes it case-sensitive).
 */
public final class AliasResolver {

    /** Subaddress delimiter (RFC 5233 §1: "+" is the common one). */
    public static final char DELIMITER = '+';
    /** Default bound on nested expansions. */
    public static final int DEFAULT_MAX_DEPTH = 10;
    /** Bound on addresses visited for one recipient, so a wide alias graph cannot explode. */
    static final int MAX_VISITS = 10_000;

    public static final Reply MAILBOX_DISABLED = Reply.of(550, "5.2.1", "mailbox disabled");
    public static final Reply LOOP = Reply.of(550, "5.4.6", "alias loop detected");
    public static final Reply TOO_DEEP = Reply.of(550, "5.4.6", "alias expansion too deep");
    public static final Reply BAD_TARGET = Reply.of(550, "5.1.3", "bad destination mailbox address syntax");

    /** One branch that led nowhere: the address where it ended, why, and the path that led there. */
    public record Failure(String address, Reply reply, List<String> path) {
        public String describe() {
            return address + ": " + reply.code() + " " + reply.enhanced() + " " + reply.lines().get(0)
                    + (path.size() > 1 ? " (via " + String.join(" -> ", path) + ")" : "");
        }
    }

    /**
     * The outcome for one address: local mailboxes (canonical account addresses), remote addresses,
     * the branches that failed, and how many aliases (including catch-alls) were expanded.
     */
    public record Resolution(List<String> mailboxes, List<MailAddress> remote, List<Failure> failures, int expansions) {
        public boolean delivered() {
            return !mailboxes.isEmpty() || !remote.isEmpty();
        }
    }

    private final DirectoryView view;
    private final int maxDepth;
    private final Set<String> mailboxes = new LinkedHashSet<>();
    private final Map<String, MailAddress> remote = new LinkedHashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> path = new ArrayList<>();
    private int expansions;
    private int visits;

    private AliasResolver(DirectoryView view, int maxDepth) {
        this.view = view;
        this.maxDepth = maxDepth;
    }

    public static Resolution resolve(MailAddress address, DirectoryView view, int maxDepth) {
        AliasResolver r = new AliasResolver(view, maxDepth);
        r.visit(address);
        return new Resolution(List.copyOf(r.mailboxes), List.copyOf(r.remote.values()), List.copyOf(r.failures), r.expansions);
    }

    /** The base address of a subaddress ({@code user+tag@d} → {@code user@d}), if it has one. */
    public static Optional<MailAddress> base(MailAddress address) {
        String local = address.localPart();
        int plus = local.indexOf(DELIMITER);
        if (plus <= 0 || local.startsWith("\"")) {
            return Optional.empty();
        }
        return Optional.of(new MailAddress(local.substring(0, plus), address.domain()));
    }

    private void visit(MailAddress address) {
        if (!view.hosts(address.domain())) {
            remote.putIfAbsent(address.toString(), address); // RFC 5321 §2.4: a remote local part is case-sensitive
            return;
        }
        String key = address.canonical();
        if (RelayMatrix.isRoutingTrick(address)) {
            fail(key, Replies.RELAY_DENIED);
            return;
        }
        if (path.contains(key)) {
            fail(key, LOOP);
            return;
        }
        if (path.size() > maxDepth || ++visits > MAX_VISITS) {
            fail(key, TOO_DEEP);
            return;
        }
        path.add(key);
        try {
            if (!local(key)) {
                Optional<MailAddress> base = base(address);
                if (base.isPresent() && known(base.get().canonical())) {
                    local(base.get().canonical());
                } else if (view.catchAll(address.domain()).isPresent()) {
                    expansions++;
                    target(view.catchAll(address.domain()).get());
                } else {
                    fail(key, Replies.NO_SUCH_USER);
                }
            }
        } finally {
            path.remove(path.size() - 1);
        }
    }

    private boolean known(String key) {
        return view.accounts().containsKey(key) || view.aliases().containsKey(key);
    }

    /** Delivers to the account or expands the alias under this exact key; false when neither exists. */
    private boolean local(String key) {
        DirectoryEntry.Account account = view.accounts().get(key);
        if (account != null) {
            if (account.enabled()) {
                mailboxes.add(key);
            } else {
                fail(key, MAILBOX_DISABLED);
            }
            return true;
        }
        DirectoryEntry.Alias alias = view.aliases().get(key);
        if (alias != null) {
            expansions++;
            alias.targets().forEach(this::target);
            return true;
        }
        return false;
    }

    private void target(String text) {
        Optional<MailAddress> parsed = MailAddress.parse(text);
        if (parsed.isEmpty()) {
            fail(text, BAD_TARGET);
        } else {
            visit(parsed.get());
        }
    }

    private void fail(String address, Reply reply) {
        List<String> via = new ArrayList<>(path);
        via.add(address);
        failures.add(new Failure(address, reply, List.copyOf(via)));
    }
}
