package org.mailroom.mailbox.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The POP3 maildrop lock (RFC 1939 §4) across every mailbox-service instance: a row of
 * {@code mailbox.maildrop_locks} per locked account, taken on a lease of {@link #LEASE} that this
 * instance renews every {@link #RENEW} for each lock it holds, and deleted when the session ends.
 * A lock whose lease lapsed (its instance died) is taken over by the next session that asks, so a
 * crash locks a maildrop for at most the lease.
 */
@ApplicationScoped
public class MaildropLocks {

    private static final Logger LOG = Logger.getLogger(MaildropLocks.class);
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration RENEW = Duration.ofSeconds(10);

    private static final String ACQUIRE = """
            INSERT INTO mailbox.maildrop_locks (account, holder, expires_at)
            VALUES ($1, $2, now() + make_interval(secs => $3))
            ON CONFLICT (account) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
             WHERE mailbox.maildrop_locks.expires_at < now()
            RETURNING holder""";
    private static final String RENEW_ALL = """
            UPDATE mailbox.maildrop_locks SET expires_at = now() + make_interval(secs => $2) WHERE holder = ANY($1)""";
    private static final String RELEASE = "DELETE FROM mailbox.maildrop_locks WHERE account = $1 AND holder = $2";

    private final Pool pool;
    private final Vertx vertx;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong sessions = new AtomicLong();
    /** Account (lower case) to the holder token of this instance's session that holds it. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private long timer = -1;

    public MaildropLocks(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(RENEW.toMillis(), id -> renew());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        held.keySet().forEach(this::release);
    }

    /** Takes the lock of the account's maildrop; false when another session, here or elsewhere, holds it. */
    public Uni<Boolean> acquire(String account) {
        String key = account.toLowerCase(Locale.ROOT);
        String holder = instance + "/" + sessions.incrementAndGet();
        return pool.preparedQuery(ACQUIRE).execute(Tuple.of(key, holder, (double) LEASE.toSeconds())).map(rows -> {
            if (rows.size() == 0) {
                return false;
            }
            held.put(key, holder);
            return true;
        });
    }

    /** Gives the lock up (the session ended); does not wait, a failure only leaves the lease to lapse. */
    public void release(String account) {
        String key = account.toLowerCase(Locale.ROOT);
        String holder = held.remove(key);
        if (holder == null) {
            return;
        }
        pool.preparedQuery(RELEASE).execute(Tuple.of(key, holder)).subscribe().with(
                rows -> { }, e -> LOG.warnf("maildrop lock of %s not released (it lapses in %s): %s", key, LEASE, e.toString()));
    }

    private void renew() {
        List<String> holders = List.copyOf(held.values());
        if (holders.isEmpty()) {
            return;
        }
        pool.preparedQuery(RENEW_ALL).execute(Tuple.of(holders.toArray(String[]::new), (double) LEASE.toSeconds()))
                .subscribe().with(rows -> { }, e -> LOG.warnf("maildrop locks not renewed: %s", e.toString()));
    }
}
