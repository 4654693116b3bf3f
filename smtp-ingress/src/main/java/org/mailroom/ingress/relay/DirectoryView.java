package org.mailroom.ingress.relay;

import java.net.InetAddress;
import java.util.Optional;
import org.mailroom.core.address.MailAddress;

/**
 * What the SMTP session may ask of the directory: smtp-ingress answers from its read model of
 * {@code mail.directory}. Every method is fast and non-blocking.
 */
public interface DirectoryView {

    /** False until the read model caught up with the topic, or while it is unusable: then 451, never a guess. */
    boolean usable();

    boolean isHostedDomain(String domain);

    /**
     * Whether a hosted-domain address reaches a mailbox: an enabled account, an alias, the account
     * of a subaddress ({@code user+tag}), or the domain's catch-all.
     */
    boolean recipientExists(MailAddress address);

    /** Whether the client's address is in a trusted network (its mail is from a local sender). */
    boolean isTrusted(InetAddress client);

    /** The password hash of an enabled account, by its canonical address. */
    Optional<String> passwordHash(String account);

    /** Whether an authenticated account may use this sender address: its own, a subaddress, or an alias of it. */
    boolean mayUseSender(String account, MailAddress sender);
}
