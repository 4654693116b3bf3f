package org.mailroom.mailbox.pop3.net;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** pop3_sessions_total{listener}, pop3_sessions_active, pop3_commands_total{command,status}. */
@ApplicationScoped
public class Pop3Metrics {

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();

    public Pop3Metrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("pop3_sessions_active", active, AtomicInteger::get).register(registry);
    }

    void opened(String listener) {
        active.incrementAndGet();
        registry.counter("pop3_sessions_total", "listener", listener).increment();
    }

    void closed() {
        active.decrementAndGet();
    }

    void command(String verb, boolean ok) {
        registry.counter("pop3_commands_total", "command", verb, "status", ok ? "ok" : "err").increment();
    }
}
