package org.mailroom.policy.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.policy.directory.DirectoryCache;
import org.mailroom.policy.mailbox.MailboxUsage;
import org.mailroom.policy.publish.DirectoryPublisher;
import org.mailroom.policy.publish.DirectorySync;

/**
 * How an admin change is made: one database transaction; after its commit the changed entries (or
 * their tombstones) are published to {@code mail.directory} and the in-memory directory is
 * reloaded, both before the API answers. A publication that fails (broker down) does not undo the
 * committed change: {@link DirectorySync} republishes the whole directory until it succeeds.
 */
@ApplicationScoped
public class Changes {

    private static final Logger LOG = Logger.getLogger(Changes.class);
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(10);

    /** The result for the caller, and what to publish once committed. */
    public record Change<T>(T result, List<DirectoryEntry> upserts, List<String> removals) {
        public static <T> Change<T> upsert(T result, DirectoryEntry entry) {
            return new Change<>(result, List.of(entry), List.of());
        }

        public static <T> Change<T> removal(T result, List<String> keys) {
            return new Change<>(result, List.of(), keys);
        }
    }

    private final DirectoryPublisher publisher;
    private final DirectorySync sync;
    private final DirectoryCache cache;
    private final MailboxUsage usage;

    public Changes(DirectoryPublisher publisher, DirectorySync sync, DirectoryCache cache, MailboxUsage usage) {
        this.publisher = publisher;
        this.sync = sync;
        this.cache = cache;
        this.usage = usage;
    }

    public <T> Uni<T> apply(Supplier<Uni<Change<T>>> work) {
        sync.changeStarted();
        return Panache.withTransaction(work)
                .onFailure().invoke(() -> sync.changeEnded(true))
                .chain(change -> {
                    long committed = System.nanoTime();
                    return publisher.publishAll(change.upserts(), change.removals(), committed)
                            .ifNoItem().after(PUBLISH_WAIT).fail()
                            .map(v -> true)
                            .onFailure().recoverWithItem(e -> {
                                LOG.warnf("directory change committed but not published (a snapshot will follow): %s", e.toString());
                                return false;
                            })
                            .invoke(sync::changeEnded)
                            .call(() -> cache.reload().onFailure().recoverWithNull())
                            .map(published -> change.result());
                });
    }

    /**
     * Refuses (409) while any of the addresses' mailboxes hold mail, or (503) when mailbox-service
     * cannot say; {@code force} skips the question. Stored mail is never removed silently.
     */
    public Uni<Void> refuseWhileMailboxesHoldMail(List<String> addresses, String field, boolean force) {
        if (force || addresses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(addresses)
                .onItem().transformToUniAndConcatenate(a -> usage.of(a).map(u -> Map.entry(a, u)))
                .collect().asList()
                .invoke(answers -> {
                    for (Map.Entry<String, MailboxUsage.Usage> e : answers) {
                        if (e.getValue() instanceof MailboxUsage.Holds h && h.messages() > 0) {
                            throw ApiException.conflict(field, e.getKey() + " holds " + h.messages() + " messages ("
                                    + h.bytes() + " bytes); delete with ?force=true to remove it anyway");
                        }
                    }
                    for (Map.Entry<String, MailboxUsage.Usage> e : answers) {
                        if (e.getValue() instanceof MailboxUsage.Unreachable r) {
                            throw new ApiException(503, field, "cannot tell whether " + e.getKey() + " holds mail ("
                                    + r.reason() + "); delete with ?force=true to remove it anyway");
                        }
                    }
                })
                .replaceWithVoid();
    }
}
