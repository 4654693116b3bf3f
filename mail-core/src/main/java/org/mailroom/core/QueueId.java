package org.mailroom.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;

/**
 * Queue ids: 26 characters of Crockford base32, the first 10 the milliseconds since the epoch,
 * the last 16 random (80 bits), so ids sort by time of creation and never collide across
 * instances. Within one generator and one millisecond the random part is incremented, so ids
 * stay strictly ascending (the ULID construction). Example: {@code 01JE4Y7ZQ2S8M9V3K5T0B6C1DX}.
 */
public final class QueueId {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final QueueId DEFAULT = new QueueId(Clock.systemUTC(), new SecureRandom());

    private final Clock clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    private long randomHigh; // 16 bits
    private long randomLow;  // 64 bits

    public QueueId(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** A new id from the process-wide generator. */
    public static String next() {
        return DEFAULT.nextId();
    }

    public synchronized String nextId() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            randomHigh = random.nextInt(1 << 16);
            randomLow = random.nextLong();
        } else if (++randomLow == 0 && ++randomHigh == (1 << 16)) {
            // 2^80 ids in one millisecond: borrow the next millisecond rather than repeat.
            lastMillis++;
            randomHigh = 0;
        }
        char[] out = new char[26];
        long t = lastMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (t & 31)];
            t >>>= 5;
        }
        // 80 random bits as 16 base32 digits: high 16 bits then low 64 bits.
        long lo = randomLow;
        long hi = randomHigh;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    /** The creation time encoded in an id, for logs and tracing. */
    public static Instant timestamp(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not a queue id: " + id);
        }
        long t = 0;
        for (int i = 0; i < 10; i++) {
            t = (t << 5) | indexOf(id.charAt(i));
        }
        return Instant.ofEpochMilli(t);
    }

    public static boolean isValid(String id) {
        if (id == null || id.length() != 26 || indexOf(id.charAt(0)) > 7) {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            if (indexOf(id.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
