package org.mailroom.ingress.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailroom.core.smtp.Reply;

/** The counters of smtp-ingress, all in one place (STYLE.md #2). */
@Singleton
public class SmtpMetrics {

    private final MeterRegistry registry;
    final AtomicInteger open = new AtomicInteger();
    private final Timer publishLatency;

    public SmtpMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("smtp_connections_open", open);
        this.publishLatency = Timer.builder("smtp_publish_latency")
                .description("time from end of data to the broker's acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(20))
                .register(registry);
    }

    void budget(org.mailroom.ingress.protocol.MemoryBudget budget) {
        registry.gauge("smtp_buffered_body_bytes", budget, b -> b.used());
    }

    void connection(String listener) {
        Counter.builder("smtp_connections_total").tag("listener", listener).register(registry).increment();
    }

    void refusedConnection(String listener, String reason) {
        Counter.builder("smtp_connections_refused_total").tag("listener", listener).tag("reason", reason)
                .register(registry).increment();
    }

    /** Counters by their tags, looked up once: this runs for every reply. */
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> replies = new java.util.concurrent.ConcurrentHashMap<>();

    void reply(String listener, String command, Reply reply) {
        String enhanced = reply.enhanced() == null ? "" : reply.enhanced();
        String key = listener + '|' + command + '|' + reply.code() + '|' + enhanced;
        replies.computeIfAbsent(key, k -> Counter.builder("smtp_replies_total").tag("listener", listener)
                .tag("command", command).tag("code", String.valueOf(reply.code())).tag("enhanced", enhanced)
                .register(registry)).increment();
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Counter> messages = new java.util.concurrent.ConcurrentHashMap<>();

    void message(String listener, String outcome) {
        messages.computeIfAbsent(listener + '|' + outcome, k -> Counter.builder("smtp_messages_total")
                .tag("listener", listener).tag("outcome", outcome).register(registry)).increment();
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Counter> bytes = new java.util.concurrent.ConcurrentHashMap<>();

    void bytes(String listener, long n) {
        bytes.computeIfAbsent(listener, l -> Counter.builder("smtp_received_bytes_total").tag("listener", l)
                .register(registry)).increment(n);
    }

    void tlsHandshake(String listener, boolean ok) {
        Counter.builder("smtp_tls_handshakes_total").tag("listener", listener).tag("result", ok ? "ok" : "failed")
                .register(registry).increment();
    }

    void auth(String listener, boolean ok) {
        Counter.builder("smtp_auth_total").tag("listener", listener).tag("result", ok ? "success" : "failure")
                .register(registry).increment();
    }

    Timer publishLatency() {
        return publishLatency;
    }
}
