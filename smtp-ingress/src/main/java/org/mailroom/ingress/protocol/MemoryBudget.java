package org.mailroom.ingress.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The octets of message bodies that all sessions of one instance may hold at once. A body that
 * cannot get its share is read to its end but not kept, and answered {@code 452 4.3.1}: many
 * clients sending large messages at once make the server refuse for a while, never run out of
 * memory.
 */
public final class MemoryBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long limit) {
        this.limit = limit;
    }

    public boolean tryReserve(long n) {
        while (true) {
            long u = used.get();
            if (u + n > limit) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    /** Whether {@code n} more octets would fit now (a hint: {@link #tryReserve} decides). */
    public boolean hasRoomFor(long n) {
        return used.get() + n <= limit;
    }

    public void release(long n) {
        used.addAndGet(-n);
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
