package org.mailroom.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 2's "done when", at the platform layer: the four services as processes, started by
 * deploy/local/up, ready, exporting metrics, and following the broker down and up again without
 * a restart.
 */
class FoundationPlatformIT {

    static final List<String> SERVICES = List.of("smtp-ingress", "policy-service", "delivery-service", "mailbox-service");

    @BeforeAll
    static void up() {
        Platform.up();
    }

    @Test
    void everyServiceIsReadyAndExportsMetrics() throws Exception {
        for (String svc : SERVICES) {
            assertEquals(200, Platform.status(svc, "/q/health/ready"), svc + " ready");
            assertEquals(200, Platform.status(svc, "/q/health/live"), svc + " live");
            String metrics = Platform.get(svc, "/q/metrics");
            assertTrue(metrics.contains("jvm_memory_used_bytes"), svc + " JVM metrics");
            assertTrue(metrics.contains("http_server_requests_seconds"), svc + " HTTP metrics");
            assertTrue(metrics.contains("kafka_producer_"), svc + " Kafka client metrics");
        }
        String status = Platform.run(List.of(Platform.ROOT.resolve("deploy/local/status").toString()), Duration.ofMinutes(1));
        for (String svc : SERVICES) {
            assertTrue(status.lines().anyMatch(l -> l.startsWith(svc) && l.contains("ready: UP")), status);
        }
    }

    @Test
    void readinessFollowsTheBrokerDownAndUpWithoutRestart() throws Exception {
        List<Long> pids = SERVICES.stream().map(FoundationPlatformIT::pid).toList();
        ProcessHandle.of(Platform.kafkaPid()).ifPresent(ProcessHandle::destroy);
        awaitAll(503, Duration.ofSeconds(30 + 10)); // 30 s is the target; 10 s for the probes themselves
        // up is idempotent: it starts only what is down, the broker here.
        Platform.run(List.of(Platform.ROOT.resolve("deploy/local/up").toString()), Duration.ofMinutes(3));
        awaitAll(200, Duration.ofSeconds(30 + 10));
        assertEquals(pids, SERVICES.stream().map(FoundationPlatformIT::pid).toList(), "no service was restarted");
    }

    private static long pid(String svc) {
        try {
            return Long.parseLong(java.nio.file.Files.readString(Platform.STATE.resolve("run/" + svc + ".pid")).strip());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitAll(int code, Duration within) throws InterruptedException {
        Instant start = Instant.now();
        while (true) {
            List<Integer> codes = SERVICES.stream().map(s -> Platform.status(s, "/q/health/ready")).toList();
            if (codes.stream().allMatch(c -> c == code)) {
                System.out.printf("readiness %d on all services after %d s%n", code, Duration.between(start, Instant.now()).toSeconds());
                return;
            }
            if (Duration.between(start, Instant.now()).compareTo(within) > 0) {
                fail("readiness not " + code + " on all services within " + within + ": " + codes);
            }
            Thread.sleep(1000);
        }
    }
}
