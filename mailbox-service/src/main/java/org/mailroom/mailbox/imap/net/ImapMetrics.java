package org.mailroom.mailbox.imap.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** IMAP sessions and commands: {@code imap_sessions_active}, {@code imap_sessions_total}, {@code imap_commands_total}. */
@ApplicationScoped
public class ImapMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();

    public ImapMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("imap_sessions_active", active);
    }

    void opened(String listener) {
        active.incrementAndGet();
        registry.counter("imap_sessions_total", "listener", listener).increment();
    }

    void closed() {
        active.decrementAndGet();
    }

    /** One command answered; {@code status} is OK, NO or BAD. */
    void command(String verb, String status) {
        String key = verb + ' ' + status;
        commands.computeIfAbsent(key, k -> Counter.builder("imap_commands_total")
                .tag("command", verb.toUpperCase(Locale.ROOT)).tag("status", status).register(registry)).increment();
    }
}
