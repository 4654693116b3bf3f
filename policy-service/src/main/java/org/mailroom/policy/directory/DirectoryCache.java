package org.mailroom.policy.directory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The directory as routing reads it: an immutable {@link DirectoryView} replaced as a whole. It is
 * reloaded from the database after every committed admin change (before the API answers, so a
 * created account receives mail at once) and periodically (changes made through another instance).
 * A reload that started before a newer one finished never replaces it.
 */
@ApplicationScoped
public class DirectoryCache {

    private final DirectoryStore store;
    private final AtomicLong started = new AtomicLong();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private long installed = -1;
    private volatile DirectoryView view = DirectoryView.EMPTY;

    public DirectoryCache(DirectoryStore store) {
        this.store = store;
    }

    /** Reloads from the database; must run on a Vert.x context (an endpoint, or VertxContextSupport). */
    public Uni<DirectoryView> reload() {
        long seq = started.incrementAndGet();
        return Panache.withSession(store::view).invoke(v -> install(seq, v));
    }

    private synchronized void install(long seq, DirectoryView v) {
        if (seq > installed) {
            installed = seq;
            view = v;
            loaded.countDown();
        }
    }

    public DirectoryView view() {
        return view;
    }

    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    /** Waits (on a worker thread, never an event loop) until the first load; false on timeout. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
