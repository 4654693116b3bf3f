package org.mailroom.mailbox.auth;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: the answer to a failed login waits base × 2^(n − 1), capped, where n
 * counts the recent failures of the client IP or of the account, whichever is higher. Schedule
 * with the defaults (1 s, cap 30 s): 1, 2, 4, 8, 16, 30, 30 … seconds. Failures older than the
 * window are forgotten; a successful login clears the account's count, not the IP's.
 */
public final class LoginThrottle {

    /** Entries kept before expired ones are swept, so a scan of many IPs cannot grow it unbounded. */
    private static final int SWEEP_AT = 100_000;

    private final long baseNanos;
    private final long maxNanos;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Duration base, Duration max, Duration window, LongSupplier nanoClock) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    /** Records a failure and returns how long to wait before answering it. */
    public Duration failed(String ip, String account) {
        long now = clock.getAsLong();
        if (failures.size() > SWEEP_AT) {
            failures.values().removeIf(f -> now - f.last > windowNanos);
        }
        int n = Math.max(bump("ip:" + ip, now), account == null ? 0 : bump(accountKey(account), now));
        return delayFor(n);
    }

    /** Clears the account's failures after a successful login. */
    public void succeeded(String account) {
        failures.remove(accountKey(account));
    }

    /** The delay after the n-th consecutive failure (n ≥ 1). */
    public Duration delayFor(int n) {
        if (n <= 0 || baseNanos <= 0) {
            return Duration.ZERO;
        }
        long delay = baseNanos;
        for (int i = 1; i < n && delay < maxNanos; i++) {
            delay *= 2;
        }
        return Duration.ofNanos(Math.min(delay, maxNanos));
    }

    /** Current failure count of an IP (for tests and metrics). */
    public int failuresOfIp(String ip) {
        Failures f = failures.get("ip:" + ip);
        return f == null || clock.getAsLong() - f.last > windowNanos ? 0 : f.count;
    }

    private int bump(String key, long now) {
        return failures.compute(key, (k, f) -> f == null || now - f.last > windowNanos
                ? new Failures(1, now) : new Failures(f.count + 1, now)).count;
    }

    private static String accountKey(String account) {
        return "account:" + account.toLowerCase(Locale.ROOT);
    }

    private record Failures(int count, long last) {}
}
