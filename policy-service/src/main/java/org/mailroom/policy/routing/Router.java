package org.mailroom.policy.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.LocalDelivery;
import org.mailroom.core.event.OutboundDelivery;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.core.relay.RelayMatrix;
import org.mailroom.core.smtp.Replies;
import org.mailroom.core.smtp.Reply;
import org.mailroom.policy.directory.DirectoryView;

/**
 * Routes one accepted message: the authoritative, after-the-queue decision for every recipient
 * (ARCHITECTURE.md, "Relay policy"). Pure: the same message and directory always give the same plan.
 *
 * <ul>
 *   <li>The relay matrix is applied again to each recipient, whatever accepted the message: a
 *       global sender never reaches a remote recipient (defence in depth against an open relay).</li>
 *   <li>A local recipient is expanded by {@link AliasResolver}; each mailbox gets one
 *       {@link LocalDelivery} per message (the first recipient that led to it wins), each remote
 *       domain one {@link OutboundDelivery} with all its recipients, de-duplicated.</li>
 *   <li>Forwarded (alias) recipients keep the RCPT's NOTIFY and get an ORCPT naming the original
 *       recipient when it had none (RFC 3461 §4.2).</li>
 *   <li>A recipient that cannot be delivered is {@code BOUNCED} (a DSN goes to the sender) only when
 *       the sender is local, the reverse-path is not null (RFC 5321 §4.5.5) and NOTIFY asks for
 *       failures (RFC 3461 §4.1); otherwise it is {@code REJECTED} with no mail sent: no backscatter
 *       to forged internet senders.</li>
 *   <li>Every recipient gets one {@code mail.status} event naming the decision and the reason.</li>
 * </ul>
 */
public final class Router {

    public static final String SERVICE = "policy-service";
    /** The listener of DSNs made by delivery-service or by this router. */
    public static final String BOUNCE_LISTENER = "bounce";
    public static final Reply BAD_ADDRESS = Reply.of(501, "5.1.3", "bad destination mailbox address syntax");

    /** Settings: the alias depth bound and the host name DSNs are reported from. */
    public record Settings(int maxAliasDepth, String reportingHost) {}

    /** What one recipient came to, for metrics: local, relay, denied, bounced, rejected. */
    public record Outcome(String recipient, String decision) {}

    /** Everything to produce for one message, in order. */
    public record Plan(
            List<LocalDelivery> local,
            List<OutboundDelivery> outbound,
            List<StatusEvent> statuses,
            Optional<InboundMessage> bounce,
            List<Outcome> outcomes,
            int aliasExpansions) {}

    private Router() {}

    /**
     * A sender is local when it authenticated, its IP is in a trusted network, or the message is
     * a DSN (null reverse-path) made by the platform itself on the {@code bounce} listener.
     */
    public static boolean senderLocal(Envelope env, DirectoryView view) {
        return env.authUser() != null
                || view.trusted(env.clientIp())
                || (BOUNCE_LISTENER.equals(env.listener()) && env.nullSender());
    }

    public static Plan route(InboundMessage message, DirectoryView view, Settings settings, Instant now,
            Supplier<String> queueIds) {
        Envelope env = message.envelope();
        boolean senderLocal = senderLocal(env, view);
        Map<String, LocalDelivery> local = new LinkedHashMap<>();
        Map<String, Map<String, Recipient>> outbound = new LinkedHashMap<>();
        List<StatusEvent> statuses = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        List<Bounce.Failed> bounced = new ArrayList<>();
        int expansions = 0;

        for (Recipient rcpt : env.recipients()) {
            Optional<MailAddress> parsed = MailAddress.parse(rcpt.address());
            if (parsed.isEmpty()) {
                undeliverable(env, rcpt, BAD_ADDRESS, rcpt.address() + ": " + text(BAD_ADDRESS), senderLocal, now,
                        statuses, outcomes, bounced);
                continue;
            }
            MailAddress address = parsed.get();
            RelayMatrix.Decision decision = RelayMatrix.decide(senderLocal, view.hosts(address.domain()));
            switch (decision) {
                case DENY -> {
                    statuses.add(status(env, rcpt, StatusEvent.Status.REJECTED, "DENY: " + text(Replies.RELAY_DENIED), now));
                    outcomes.add(new Outcome(rcpt.address(), "denied"));
                }
                case RELAY -> {
                    // RFC 5321 §2.4: a remote local part is case-sensitive, so the key keeps its case.
                    outbound.computeIfAbsent(address.domain(), d -> new LinkedHashMap<>()).putIfAbsent(address.toString(), rcpt);
                    statuses.add(status(env, rcpt, StatusEvent.Status.ROUTED, "RELAY: to " + address.domain(), now));
                    outcomes.add(new Outcome(rcpt.address(), "relay"));
                }
                case DELIVER, DELIVER_WITH_CAUTION -> {
                    AliasResolver.Resolution r = AliasResolver.resolve(address, view, settings.maxAliasDepth());
                    expansions += r.expansions();
                    Envelope narrowed = env.withRecipients(List.of(rcpt));
                    for (String mailbox : r.mailboxes()) {
                        local.putIfAbsent(mailbox, new LocalDelivery(narrowed, mailbox, message.message()));
                    }
                    for (MailAddress target : r.remote()) {
                        Recipient forwarded = new Recipient(target.toString(), rcpt.notifyOn(),
                                rcpt.orcpt() != null ? rcpt.orcpt() : "rfc822;" + rcpt.address());
                        outbound.computeIfAbsent(target.domain(), d -> new LinkedHashMap<>())
                                .putIfAbsent(target.toString(), forwarded);
                    }
                    String failures = r.failures().stream().map(AliasResolver.Failure::describe)
                            .reduce((a, b) -> a + "; " + b).orElse("");
                    if (r.delivered()) {
                        statuses.add(status(env, rcpt, StatusEvent.Status.ROUTED, decision + ": " + targets(r)
                                + (failures.isEmpty() ? "" : "; undeliverable: " + failures), now));
                        outcomes.add(new Outcome(rcpt.address(), r.mailboxes().isEmpty() ? "relay" : "local"));
                    } else {
                        undeliverable(env, rcpt, r.failures().get(0).reply(), failures, senderLocal, now, statuses,
                                outcomes, bounced);
                    }
                }
            }
        }

        List<OutboundDelivery> remote = new ArrayList<>();
        outbound.forEach((domain, rcpts) -> remote.add(new OutboundDelivery(
                env.withRecipients(List.copyOf(rcpts.values())), domain, message.message())));
        Optional<InboundMessage> bounce = bounced.isEmpty() ? Optional.empty()
                : Optional.of(Bounce.build(message, bounced, settings.reportingHost(), now, queueIds.get()));
        return new Plan(List.copyOf(local.values()), remote, statuses, bounce, outcomes, expansions);
    }

    private static void undeliverable(Envelope env, Recipient rcpt, Reply reply, String reason, boolean senderLocal,
            Instant now, List<StatusEvent> statuses, List<Outcome> outcomes, List<Bounce.Failed> bounced) {
        boolean bounce = senderLocal && !env.nullSender() && notifiesFailure(rcpt);
        statuses.add(status(env, rcpt, bounce ? StatusEvent.Status.BOUNCED : StatusEvent.Status.REJECTED,
                "UNDELIVERABLE: " + reason, now));
        outcomes.add(new Outcome(rcpt.address(), bounce ? "bounced" : "rejected"));
        if (bounce) {
            bounced.add(new Bounce.Failed(rcpt, reply));
        }
    }

    /** RFC 3461 §4.1: without NOTIFY the default is FAILURE (and DELAY). */
    static boolean notifiesFailure(Recipient rcpt) {
        return rcpt.notifyOn() == null || rcpt.notifyOn().contains(Recipient.Notify.FAILURE);
    }

    private static String targets(AliasResolver.Resolution r) {
        List<String> parts = new ArrayList<>();
        if (!r.mailboxes().isEmpty()) {
            parts.add("mailbox " + String.join(", ", r.mailboxes()));
        }
        if (!r.remote().isEmpty()) {
            parts.add("forward " + String.join(", ", r.remote().stream().map(MailAddress::toString).toList()));
        }
        return String.join("; ", parts);
    }

    static String text(Reply reply) {
        return reply.code() + " " + reply.enhanced() + " " + reply.lines().get(0);
    }

    private static StatusEvent status(Envelope env, Recipient rcpt, StatusEvent.Status status, String reason, Instant now) {
        return new StatusEvent(env.queueId(), rcpt.address(), status, reason, SERVICE, now);
    }
}
