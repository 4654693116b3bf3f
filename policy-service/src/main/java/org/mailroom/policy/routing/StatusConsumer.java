package org.mailroom.policy.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mailroom.core.Topics;
import org.mailroom.policy.config.PolicyConfig;

/**
 * Bounces on {@code mail.status}: a {@link TransactionalLoop} whose transaction holds the DSNs (on
 * {@code mail.inbound}) and the {@code BOUNCED} events (on {@code mail.status}) that a poll's
 * rejections called for ({@link StatusRecords}), with the consumed offsets: a status record read
 * twice (after a crash or a rebalance) makes its DSN once.
 */
@ApplicationScoped
public class StatusConsumer {

    private static final Logger LOG = Logger.getLogger(StatusConsumer.class);

    private final PolicyConfig config;
    private final TransactionalLoop loop;

    public StatusConsumer(PolicyConfig config, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        PolicyConfig.StatusBounces s = config.statusBounces();
        PolicyConfig.Routing r = config.routing();
        this.loop = new TransactionalLoop(new TransactionalLoop.Settings("policy-status-bounces", Topics.STATUS,
                bootstrap, s.groupId(), s.transactionalId().orElse("policy-service-status-" + UUID.randomUUID()),
                s.maxPollRecords(), r.maxTransactionBytes(), r.transactionTimeout(), r.retryBackoff()), timeout -> true,
                new StatusRecords(RoutingConsumer.reportingHost(config), s.remembered(), registry), registry);
        Gauge.builder("policy.status.consumer.lag", loop, TransactionalLoop::lag)
                .description("Records of mail.status not yet read for bounces, over this instance's partitions")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.statusBounces().enabled()) {
            loop.start();
        } else {
            LOG.warn("status bounces disabled (policy.status-bounces.enabled=false): deliveries refused after "
                    + "routing (over quota) are reported on mail.status but not bounced by this instance");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** Ready when disabled, or when the loop holds its clients. */
    public boolean ready() {
        return !config.statusBounces().enabled() || loop.active();
    }

    public boolean alive() {
        return loop.alive();
    }

    public void start() {
        loop.start();
    }

    /** Fault injection for tests: see {@link TransactionalLoop#crashBeforeNextCommit()}. */
    public void crashBeforeNextCommit() {
        loop.crashBeforeNextCommit();
    }
}
