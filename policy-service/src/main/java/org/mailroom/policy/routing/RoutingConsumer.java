package org.mailroom.policy.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.policy.config.PolicyConfig;
import org.mailroom.policy.directory.DirectoryCache;

/**
 * The read-process-write loop on {@code mail.inbound}: one Kafka transaction per poll holds every
 * record it produced ({@code mail.local}, {@code mail.outbound}, {@code mail.status}, DSNs back on
 * {@code mail.inbound}, {@code mail.deadletter}) together with the consumed offsets
 * ({@code sendOffsetsToTransaction}), so a crash anywhere before the commit neither loses nor
 * doubles a recipient: the transaction is aborted, and the records are read and routed again.
 * Readers use {@code isolation.level=read_committed}. A zombie is fenced by the consumer group
 * generation (KIP-447). It runs on its own thread, never on an event loop.
 */
@ApplicationScoped
public class RoutingConsumer {

    private static final Logger LOG = Logger.getLogger(RoutingConsumer.class);

    private final PolicyConfig config;
    private final DirectoryCache cache;
    private final RoutingRecords records;
    private final String bootstrap;
    private final String transactionalId;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicBoolean crashBeforeCommit = new AtomicBoolean();
    private volatile boolean running;
    private volatile boolean active;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** Thrown by the fault injection: the loop stops as a killed process would, committing and aborting nothing. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash between produce and commit", null, false, false);
        }
    }

    public RoutingConsumer(PolicyConfig config, DirectoryCache cache, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.cache = cache;
        this.bootstrap = bootstrap;
        this.transactionalId = config.routing().transactionalId()
                .orElse("policy-service-" + UUID.randomUUID());
        String host = config.routing().reportingHost().orElseGet(RoutingConsumer::hostName);
        this.records = new RoutingRecords(new Router.Settings(config.routing().maxAliasDepth(), host), registry);
        Gauge.builder("policy.routing.consumer.lag", lag, AtomicLong::get)
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

    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "policy-routing");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ready when disabled, or when the loop holds its clients (transactions initialised). */
    public boolean ready() {
        return !config.routing().enabled() || active;
    }

    public boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /**
     * Fault injection for tests: the next transaction, once its records were sent and its offsets
     * added, is neither committed nor aborted; the loop closes its consumer and abandons its
     * producer, as a killed process would, and stops. {@link #start()} begins again.
     */
    public void crashBeforeNextCommit() {
        crashBeforeCommit.set(true);
    }

    private void run() {
        while (running) {
            try {
                if (!cache.awaitLoaded(Duration.ofSeconds(1))) {
                    continue;
                }
                session();
            } catch (Crash crash) {
                LOG.warn(crash.getMessage());
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "routing consumer failed; starting again in %s", config.routing().retryBackoff());
                sleep(config.routing().retryBackoff());
            }
        }
    }

    /** One life of the clients: from initTransactions until stopped, fenced or crashed. */
    private void session() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties());
        boolean crashed = false;
        try {
            producer.initTransactions(); // aborts what an earlier life with this transactional.id left open
            consumer = c;
            c.subscribe(List.of(Topics.INBOUND));
            active = true;
            while (running) {
                ConsumerRecords<String, byte[]> batch = c.poll(Duration.ofMillis(500));
                updateLag(c);
                if (!batch.isEmpty()) {
                    transaction(c, producer, batch);
                }
            }
        } catch (Crash e) {
            crashed = true;
            throw e;
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            active = false;
            consumer = null;
            c.close(Duration.ofSeconds(5));
            if (!crashed) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    private void transaction(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
            ConsumerRecords<String, byte[]> batch) {
        producer.beginTransaction();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            List<RoutingRecords.Routed> routed = new ArrayList<>();
            Instant now = Instant.now();
            for (ConsumerRecord<String, byte[]> in : batch) {
                RoutingRecords.Routed r = records.route(in, cache.view(), now, QueueId::next);
                r.outputs().forEach(out -> producer.send(out));
                routed.add(r);
                offsets.put(new TopicPartition(in.topic(), in.partition()), new OffsetAndMetadata(in.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
            if (crashBeforeCommit.getAndSet(false)) {
                throw new Crash();
            }
            producer.commitTransaction();
            routed.forEach(records::count);
        } catch (Crash | ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                | AuthorizationException e) {
            throw e; // fatal for this producer: the session ends, a new one starts from the committed offsets
        } catch (KafkaException e) {
            LOG.warnf("routing transaction aborted, the batch will be routed again: %s", e.toString());
            producer.abortTransaction();
            rewind(c, batch);
            sleep(config.routing().retryBackoff());
        }
    }

    /** Back to the first record of the batch on each partition, so the aborted batch is read again. */
    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition tp : batch.partitions()) {
            c.seek(tp, batch.records(tp).get(0).offset());
        }
    }

    private void updateLag(KafkaConsumer<String, byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            total += c.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.routing().groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-consumer");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.routing().maxPollRecords());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        // One fetch holds about one largest record: bounded memory under deploy/local's -Xmx256m.
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-producer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.routing().transactionTimeout().toMillis());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.MAX_RECORD_BYTES); // docs/events.md: one maximal record always fits
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
