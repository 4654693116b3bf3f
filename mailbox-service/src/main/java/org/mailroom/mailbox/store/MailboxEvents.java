package org.mailroom.mailbox.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tells the sessions of this instance that a mailbox changed, whichever instance changed it: each
 * write raises the mailbox's highest_modseq, and a trigger (V3 migration) announces the mailbox id on
 * the PostgreSQL channel {@code mailroom_mailbox} at commit, which every instance LISTENs to. Lost
 * notifications cannot go unnoticed for long: after a reconnect every watcher is told to look.
 */
@ApplicationScoped
public class MailboxEvents {

    private static final Logger LOG = Logger.getLogger(MailboxEvents.class);
    static final String CHANNEL = "mailroom_mailbox";

    private final Vertx vertx;
    private final String url;
    private final String user;
    private final String password;
    private final Map<Long, Set<Runnable>> watchers = new ConcurrentHashMap<>();
    private PgSubscriber subscriber;
    private volatile boolean stopping;

    public MailboxEvents(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
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

    /** Calls {@code watcher} (on the subscriber's thread) after each change of the mailbox; close to stop. */
    public AutoCloseable watch(long mailboxId, Runnable watcher) {
        watchers.computeIfAbsent(mailboxId, k -> ConcurrentHashMap.newKeySet()).add(watcher);
        return () -> watchers.computeIfPresent(mailboxId, (k, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }
}
