package org.mailroom.mailbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * The POP3 maildrop lock across instances, against the real PostgreSQL: each {@link MaildropLocks}
 * built here stands for one mailbox-service instance sharing the database.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class MaildropLocksIT {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    /** Asks until the lock is had (a release does not wait for its DELETE), at most a few seconds. */
    private static Uni<Boolean> eventually(MaildropLocks locks, String account) {
        return locks.acquire(account).chain(ok -> ok ? Uni.createFrom().item(true)
                : Uni.createFrom().failure(new IllegalStateException("still locked")))
                .onFailure().retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(100)).atMost(100);
    }

    @Test
    @RunOnVertxContext
    void oneSessionHoldsAMaildropWhicheverInstanceItIsOn(UniAsserter asserter) {
        MaildropLocks one = new MaildropLocks(pool, vertx);
        MaildropLocks two = new MaildropLocks(pool, vertx);
        String account = "Locked@Example.test";
        asserter.assertThat(() -> one.acquire(account)
                .chain(first -> two.acquire("locked@example.test")
                        .chain(elsewhere -> one.acquire(account)
                                .map(again -> List.of(first, elsewhere, again)))),
                r -> assertEquals(List.of(true, false, false), r, "held; refused on the other instance and on the same one"));
        asserter.execute(() -> one.release(account));
        asserter.assertThat(() -> eventually(two, account), got -> assertEquals(true, got, "free once released"));
        asserter.assertThat(() -> one.acquire(account), got -> assertEquals(false, got, "now held by the other"));
        asserter.execute(() -> two.release(account));
    }

    @Test
    @RunOnVertxContext
    void aLapsedLeaseIsTakenOverAndItsOldHolderCannotReleaseTheNewLock(UniAsserter asserter) {
        MaildropLocks crashed = new MaildropLocks(pool, vertx);
        MaildropLocks survivor = new MaildropLocks(pool, vertx);
        MaildropLocks third = new MaildropLocks(pool, vertx);
        String account = "lapsed@example.test";
        asserter.assertThat(() -> crashed.acquire(account), got -> assertEquals(true, got));
        asserter.assertThat(() -> survivor.acquire(account), got -> assertEquals(false, got, "the lease still runs"));
        // the holder stopped renewing (its instance died): the lease runs out
        asserter.execute(() -> pool.preparedQuery(
                "UPDATE mailbox.maildrop_locks SET expires_at = now() - interval '1 second' WHERE account = $1")
                .execute(Tuple.of(account)).replaceWithVoid());
        asserter.assertThat(() -> survivor.acquire(account), got -> assertEquals(true, got, "taken over"));
        asserter.execute(() -> crashed.release(account)); // late: it must not free the survivor's lock
        asserter.assertThat(() -> pool.preparedQuery("SELECT pg_sleep(0.2)").execute()
                .chain(() -> third.acquire(account)), got -> assertEquals(false, got, "still the survivor's"));
        asserter.execute(() -> survivor.release(account));
    }
}
