package org.mailroom.mailbox.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mailroom.mailbox.config.MailboxConfig;

/**
 * One budget of memory for the message bodies this instance serves, whatever the number of
 * sessions: each session holds at most one message's worth, but a hundred slow readers of 25 MiB
 * messages would otherwise hold 2.5 GB. A reservation waits (first come, first served) until its
 * share is free, at most {@code maxWait}, then fails with {@link Exhausted}. A reservation larger
 * than the whole budget is cut to it, so a big message is served alone rather than never.
 */
@ApplicationScoped
public class BodyMemory {

    /** The budget stayed spent for the whole wait. */
    public static final class Exhausted extends RuntimeException {
        Exhausted(long wanted, Duration waited) {
            super("no memory for " + wanted + " octets of message bodies after " + waited.toMillis() + " ms",
                    null, false, false);
        }
    }

    /** A reserved share; {@link #release()} gives it back, once, however often it is called. */
    public final class Share {
        private final long octets;
        private boolean released;

        private Share(long octets) {
            this.octets = octets;
        }

        public long octets() {
            return octets;
        }

        public void release() {
            List<Waiter> granted;
            synchronized (BodyMemory.this) {
                if (released) {
                    return;
                }
                released = true;
                available += octets;
                granted = grant();
            }
            deliver(granted);
        }
    }

    /** A reservation waiting in line; whichever of grant and give-up completes {@code granted} first wins. */
    private static final class Waiter {
        final long octets;
        final CompletableFuture<Share> granted = new CompletableFuture<>();

        Waiter(long octets) {
            this.octets = octets;
        }
    }

    private final long capacity;
    private final Duration maxWait;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private long available;

    BodyMemory(long capacity, Duration maxWait) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.maxWait = maxWait;
        this.available = capacity;
    }

    @Inject
    public BodyMemory(MailboxConfig config, MeterRegistry registry) {
        this(config.memory().bodies(), config.memory().maxWait());
        Gauge.builder("mailbox_body_memory_available_bytes", this, BodyMemory::available)
                .description("Octets of the body memory budget not reserved").register(registry);
        Gauge.builder("mailbox_body_memory_waiting", this, BodyMemory::waiting)
                .description("Requests waiting for a share of the body memory budget").register(registry);
    }

    /** A share of {@code octets} (at most the whole budget), when it is free. */
    public Uni<Share> reserve(long octets) {
        return reserve(octets, maxWait);
    }

    /** As {@link #reserve(long)}, waiting at most {@code maxWait}. */
    public Uni<Share> reserve(long octets, Duration maxWait) {
        return Uni.createFrom().deferred(() -> {
            long wanted = Math.max(0, Math.min(octets, capacity));
            Waiter w = new Waiter(wanted);
            List<Waiter> granted;
            synchronized (this) {
                waiters.addLast(w);
                granted = grant();
            }
            deliver(granted);
            // a copy: when the wait is cut short Mutiny cancels the stage it was given, and the
            // outcome of the race between grant and give-up must stay with giveUp
            return Uni.createFrom().completionStage(() -> w.granted.thenApply(share -> share))
                    .ifNoItem().after(maxWait).recoverWithUni(() -> giveUp(w, new Exhausted(wanted, maxWait)))
                    .onCancellation().invoke(() -> giveUp(w, new java.util.concurrent.CancellationException()));
        });
    }

    /**
     * The waiter stops waiting: out of the line if it is still in it (the ones behind may fit now),
     * or, when its share was granted in the meantime, the share is used (timeout) or given back (cancel).
     */
    private Uni<Share> giveUp(Waiter w, RuntimeException why) {
        if (w.granted.completeExceptionally(why)) {
            List<Waiter> granted;
            synchronized (this) {
                waiters.remove(w);
                granted = grant();
            }
            deliver(granted);
            return Uni.createFrom().failure(why);
        }
        Share share = w.granted.join(); // granted just before: the share exists
        if (why instanceof java.util.concurrent.CancellationException) {
            share.release();
            return Uni.createFrom().failure(why);
        }
        return Uni.createFrom().item(share);
    }

    /** Takes waiters off the head of the line while the head fits; delivered outside the lock. */
    private List<Waiter> grant() {
        List<Waiter> granted = new ArrayList<>();
        while (!waiters.isEmpty() && available >= waiters.peekFirst().octets) {
            Waiter w = waiters.pollFirst();
            available -= w.octets;
            granted.add(w);
        }
        return granted;
    }

    private void deliver(List<Waiter> granted) {
        for (Waiter w : granted) {
            Share share = new Share(w.octets);
            if (!w.granted.complete(share)) {
                share.release(); // it gave up first
            }
        }
    }

    /** Reserves at once, or not at all (nobody waiting is overtaken): for the IMAP framer's literals. */
    public boolean tryReserve(long octets) {
        synchronized (this) {
            if (!waiters.isEmpty() || available < octets) {
                return false;
            }
            available -= octets;
            return true;
        }
    }

    /** Gives back what {@link #tryReserve} took. */
    public void release(long octets) {
        List<Waiter> granted;
        synchronized (this) {
            available += octets;
            granted = grant();
        }
        deliver(granted);
    }

    public synchronized long available() {
        return available;
    }

    public synchronized int waiting() {
        return waiters.size();
    }

    public long capacity() {
        return capacity;
    }
}
