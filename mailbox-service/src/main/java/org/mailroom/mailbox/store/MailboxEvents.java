package org.mailroom.mailbox.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tells the sessions of this instance that a mailbox changed, whichever instance changed it: each
 * write raises the mailbox's highest_modseq and, once its transaction committed, the writer calls
 * {@link #announce} which NOTIFYs the mailbox ids on the PostgreSQL channel {@code mailroom_mailbox}
 * that every instance LISTENs to. The NOTIFY is its own read-only statement: inside the writing
 * transaction it would serialise commits (V4 migration). Announcements made within
 * {@link #COALESCE_MS} of each other go out in one statement, each mailbox once: a busy instance
 * (STOREs of many sessions, the ingest's batches) sends a few NOTIFY statements where it would
 * send one per write. A lost LISTEN connection cannot leave a change unnoticed: after the
 * reconnect every watcher is told to look.
 */
@ApplicationScoped
public class MailboxEvents {

    private static final Logger LOG = Logger.getLogger(MailboxEvents.class);
    static final String CHANNEL = "mailroom_mailbox";

    private static final String ANNOUNCE = "SELECT pg_notify('" + "mailroom_mailbox" + "', id::text) FROM unnest($1::bigint[]) AS id";

    private final Vertx vertx;
    private final io.vertx.mutiny.sqlclient.Pool pool;
    private final String url;
    private final String user;
    private final String password;
    /** How long an announcement may wait for others to share its statement. */
    static final long COALESCE_MS = 2;

    private final Map<Long, Set<Runnable>> watchers = new ConcurrentHashMap<>();
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private PgSubscriber subscriber;
    private volatile boolean stopping;

    public MailboxEvents(Vertx vertx, io.vertx.mutiny.sqlclient.Pool pool, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.pool = pool;
        this.url = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(CHANNEL)
                .subscribeHandler(v -> {
                    LOG.debug("listening for mailbox changes");
                    watchers.values().forEach(set -> set.forEach(Runnable::run));
                })
                .handler(this::notified);
        subscriber.closeHandler(v -> {
            if (!stopping) {
                LOG.warn("mailbox change notifications lost; reconnecting");
            }
        });
        subscriber.connect().onFailure(e -> LOG.warnf("cannot listen for mailbox changes yet: %s", e.toString()));
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        try {
            flush().await().atMost(java.time.Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.warnf("mailbox changes not announced at shutdown: %s", e.toString());
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }

    private void notified(String payload) {
        long id;
        try {
            id = Long.parseLong(payload.trim());
        } catch (NumberFormatException e) {
            return;
        }
        Set<Runnable> set = watchers.get(id);
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }

    /**
     * Announces that these mailboxes changed, after the change committed. Does not wait: the
     * writer's reply need not wait for the announcement, and a failure (logged) only delays what
     * other sessions learn until they next look. Sent within {@link #COALESCE_MS}, together with
     * what else was announced meanwhile.
     */
    public void announce(long... mailboxIds) {
        if (mailboxIds.length == 0) {
            return;
        }
        for (long id : mailboxIds) {
            pending.add(id);
        }
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                vertx.setTimer(COALESCE_MS, t -> flush());
            } catch (RuntimeException e) { // Vert.x closing: send now rather than never
                flush();
            }
        }
    }

    /** NOTIFYs what is pending. An id added while this runs goes now or with the next timer. */
    private io.smallrye.mutiny.Uni<Void> flush() {
        flushScheduled.set(false);
        List<Long> ids = new ArrayList<>();
        for (Iterator<Long> it = pending.iterator(); it.hasNext();) {
            ids.add(it.next());
            it.remove();
        }
        if (ids.isEmpty()) {
            return io.smallrye.mutiny.Uni.createFrom().voidItem();
        }
        io.smallrye.mutiny.Uni<Void> sent = pool.preparedQuery(ANNOUNCE)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(ids.toArray(Long[]::new))).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("mailbox change of %s not announced: %s", ids, e.toString()))
                .onFailure().recoverWithNull().memoize().indefinitely();
        sent.subscribe().with(ok -> { });
        return sent;
    }

    /** Calls {@code watcher} (on the subscriber's thread) after each change of the mailbox; close to stop. */
    public AutoCloseable watch(long mailboxId, Runnable watcher) {
        watchers.computeIfAbsent(mailboxId, k -> ConcurrentHashMap.newKeySet()).add(watcher);
        return () -> watchers.computeIfPresent(mailboxId, (k, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }
}
