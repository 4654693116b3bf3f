package org.mailroom.policy.publish;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mailroom.core.Topics;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.policy.config.PolicyConfig;
import org.mailroom.policy.directory.DirectoryCache;
import org.mailroom.policy.directory.DirectoryStore;

/**
 * Keeps {@code mail.directory} equal to the database. At start, and again whenever a publication
 * failed or raced with a snapshot, it publishes a full snapshot: every entry of the database, and a
 * tombstone for every key still live on the topic that the database no longer has (a deletion whose
 * tombstone was lost in a crash). Admin changes publish their own records after their commit and
 * report here, so a snapshot that overlapped one is repeated: the topic converges on the database.
 * It also reloads the in-memory directory periodically (changes made through another instance).
 */
@ApplicationScoped
public class DirectorySync {

    private static final Logger LOG = Logger.getLogger(DirectorySync.class);

    private final DirectoryStore store;
    private final DirectoryCache cache;
    private final DirectoryPublisher publisher;
    private final PolicyConfig config;
    private final String bootstrap;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean dirty = true;
    private volatile boolean snapshotDone;
    private ScheduledExecutorService executor;

    public DirectorySync(DirectoryStore store, DirectoryCache cache, DirectoryPublisher publisher, PolicyConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.store = store;
        this.cache = cache;
        this.publisher = publisher;
        this.config = config;
        this.bootstrap = bootstrap;
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-directory-sync");
            t.setDaemon(true);
            return t;
        });
        long republish = config.directory().republishInterval().toMillis();
        long refresh = config.directory().refreshInterval().toMillis();
        executor.execute(this::snapshotIfDirty);
        executor.scheduleWithFixedDelay(this::snapshotIfDirty, republish, republish, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** True once the directory is loaded and a full snapshot has reached the topic. */
    public boolean ready() {
        return cache.isLoaded() && snapshotDone;
    }

    /** Publishes a full snapshot at the next tick (operators, tests). */
    public void requestSnapshot() {
        dirty = true;
    }

    /** An admin change is about to start its transaction. */
    public void changeStarted() {
        inFlight.incrementAndGet();
    }

    /** An admin change ended; {@code published} false when its records did not reach the broker. */
    public void changeEnded(boolean published) {
        changes.incrementAndGet();
        inFlight.decrementAndGet();
        if (!published) {
            dirty = true;
        }
    }

    private void refresh() {
        try {
            VertxContextSupport.subscribeAndAwait(cache::reload);
        } catch (Throwable e) {
            LOG.warnf("directory reload failed: %s", e.toString());
        }
    }

    private void snapshotIfDirty() {
        if (!dirty) {
            return;
        }
        long before = changes.get();
        boolean overlapped = inFlight.get() > 0;
        try {
            VertxContextSupport.subscribeAndAwait(cache::reload);
            List<DirectoryEntry> entries = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(store::entries));
            Set<String> stale = liveKeys();
            entries.forEach(e -> stale.remove(e.key()));
            publisher.publishAll(entries, stale, System.nanoTime()).await().atMost(Duration.ofSeconds(60));
            dirty = overlapped || inFlight.get() > 0 || changes.get() != before;
            if (!snapshotDone) {
                LOG.infof("directory snapshot published: %d entries, %d stale keys removed", entries.size(), stale.size());
            }
            snapshotDone = true;
        } catch (Throwable e) {
            dirty = true;
            LOG.warnf("directory snapshot failed, retrying in %s: %s", config.directory().republishInterval(), e.toString());
        }
    }

    /** The keys that have a live (non-tombstone) value on the compacted topic, read to its end. */
    private Set<String> liveKeys() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        Set<String> live = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DIRECTORY, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(Topics.DIRECTORY, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + Topics.DIRECTORY + " to its end took over 60 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        live.remove(r.key());
                    } else {
                        live.add(r.key());
                    }
                }
            }
        }
        return live;
    }
}
