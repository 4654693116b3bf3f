package org.mailroom.mailbox.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(15), now::get);

    @Test
    void scheduleDoublesUpToTheCap() {
        long[] expected = {0, 1, 2, 4, 8, 16, 30, 30, 30};
        for (int n = 0; n < expected.length; n++) {
            assertEquals(Duration.ofSeconds(expected[n]), throttle.delayFor(n), "failure " + n);
        }
    }

    @Test
    void failuresCountPerIpAcrossAccounts() {
        assertEquals(Duration.ofSeconds(1), throttle.failed("192.0.2.1", "a@x.test"));
        assertEquals(Duration.ofSeconds(2), throttle.failed("192.0.2.1", "b@x.test"));
        assertEquals(Duration.ofSeconds(4), throttle.failed("192.0.2.1", "c@x.test"));
        assertEquals(3, throttle.failuresOfIp("192.0.2.1"));
    }

    @Test
    void failuresCountPerAccountAcrossIps() {
        throttle.failed("192.0.2.1", "a@x.test");
        throttle.failed("192.0.2.2", "A@X.test");
        assertEquals(Duration.ofSeconds(4), throttle.failed("192.0.2.3", "a@x.test"));
    }

    @Test
    void successClearsTheAccountNotTheIp() {
        throttle.failed("192.0.2.1", "a@x.test");
        throttle.failed("192.0.2.1", "a@x.test");
        throttle.succeeded("a@x.test");
        assertEquals(Duration.ofSeconds(1), throttle.failed("192.0.2.9", "a@x.test"));
        assertEquals(Duration.ofSeconds(4), throttle.failed("192.0.2.1", "b@x.test"));
    }

    @Test
    void oldFailuresAreForgotten() {
        throttle.failed("192.0.2.1", "a@x.test");
        throttle.failed("192.0.2.1", "a@x.test");
        now.addAndGet(Duration.ofMinutes(16).toNanos());
        assertEquals(0, throttle.failuresOfIp("192.0.2.1"));
        assertEquals(Duration.ofSeconds(1), throttle.failed("192.0.2.1", "a@x.test"));
    }
}
