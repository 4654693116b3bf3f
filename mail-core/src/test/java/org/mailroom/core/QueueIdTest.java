package org.mailroom.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueIdTest {

    @Test
    void idsAreStrictlyAscendingAndUniqueWithinOneMillisecond() {
        Clock frozen = Clock.fixed(Instant.parse("2026-12-03T17:00:00Z"), ZoneOffset.UTC);
        QueueId gen = new QueueId(frozen, new SecureRandom());
        String previous = gen.nextId();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = gen.nextId();
            assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
            assertTrue(seen.add(id));
            previous = id;
        }
    }

    @Test
    void idsSortByTimeAndCarryIt() {
        Instant t = Instant.parse("2026-12-03T17:00:00.123Z");
        QueueId early = new QueueId(Clock.fixed(t, ZoneOffset.UTC), new SecureRandom());
        QueueId late = new QueueId(Clock.fixed(t.plusMillis(1), ZoneOffset.UTC), new SecureRandom());
        String a = early.nextId();
        String b = late.nextId();
        assertTrue(a.compareTo(b) < 0);
        assertEquals(t, QueueId.timestamp(a));
        assertEquals(26, a.length());
        assertTrue(QueueId.isValid(a));
    }

    @Test
    void validation() {
        assertTrue(QueueId.isValid(QueueId.next()));
        assertFalse(QueueId.isValid("01JE4Y7ZQ2S8M9V3K5T0B6C1D"));
        assertFalse(QueueId.isValid("01JE4Y7ZQ2S8M9V3K5T0B6C1DU")); // U is not Crockford
        assertFalse(QueueId.isValid(null));
    }
}
