package org.mailroom.policy.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.policy.config.PolicyConfig;
import org.mailroom.policy.directory.DirectoryCache;

/**
 * Routing on {@code mail.inbound}: a {@link TransactionalLoop} whose transaction holds every record
 * a poll produced ({@code mail.local}, {@code mail.outbound}, {@code mail.status}, DSNs back on
 * {@code mail.inbound}, {@code mail.deadletter}) with the consumed offsets, so a crash anywhere
 * before the commit neither loses nor doubles a recipient. It starts once the directory is loaded.
 */
@ApplicationScoped
public class RoutingConsumer {

    private static final Logger LOG = Logger.getLogger(RoutingConsumer.class);

    private final PolicyConfig config;
    private final TransactionalLoop loop;

    public RoutingConsumer(PolicyConfig config, DirectoryCache cache, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        PolicyConfig.Routing r = config.routing();
        RoutingRecords records = new RoutingRecords(new Router.Settings(r.maxAliasDepth(), reportingHost(config)), registry);
        this.loop = new TransactionalLoop(new TransactionalLoop.Settings("policy-routing", Topics.INBOUND, bootstrap,
                r.groupId(), r.transactionalId().orElse("policy-service-" + UUID.randomUUID()), r.maxPollRecords(), r.maxTransactionBytes(),
                r.transactionTimeout(), r.retryBackoff()), cache::awaitLoaded, (batch, now) -> {
                    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
                    List<RoutingRecords.Routed> routed = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> in : batch) {
                        RoutingRecords.Routed one = records.route(in, cache.view(), now, QueueId::next);
                        out.addAll(one.outputs());
                        routed.add(one);
                    }
                    return new TransactionalLoop.Output(out, () -> routed.forEach(records::count));
                }, registry);
        Gauge.builder("policy.routing.consumer.lag", loop, TransactionalLoop::lag)
                .description("Records of mail.inbound not yet routed, over this instance's partitions")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.routing().enabled()) {
            start();
        } else {
            LOG.info("routing disabled (policy.routing.enabled=false): mail.inbound is not consumed here");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void start() {
        loop.start();
    }

    public void stop() {
        loop.stop();
    }

    /** Ready when disabled, or when the loop holds its clients (transactions initialised). */
    public boolean ready() {
        return !config.routing().enabled() || loop.active();
    }

    public boolean alive() {
        return loop.alive();
    }

    /** Fault injection for tests: see {@link TransactionalLoop#crashBeforeNextCommit()}. */
    public void crashBeforeNextCommit() {
        loop.crashBeforeNextCommit();
    }

    /** Host name in DSNs: {@code policy.routing.reporting-host}, or this machine's name. */
    static String reportingHost(PolicyConfig config) {
        return config.routing().reportingHost().orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "localhost";
            }
        });
    }
}
