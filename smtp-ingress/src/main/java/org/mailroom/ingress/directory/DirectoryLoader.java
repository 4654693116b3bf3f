package org.mailroom.ingress.directory;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.EventFormatException;

/**
 * Keeps the {@link DirectoryReadModel} current: reads {@code mail.directory} from the beginning on
 * every start (no consumer group: every instance reads everything), marks the model caught up when
 * it reached the end offsets seen at start, then follows changes. A record it cannot decode is
 * logged and skipped: the next version of that key replaces it.
 */
@Singleton
public class DirectoryLoader {

    private static final Logger LOG = Logger.getLogger(DirectoryLoader.class);

    private final DirectoryReadModel model = new DirectoryReadModel();
    private final String bootstrap;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    public DirectoryLoader(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    public DirectoryReadModel model() {
        return model;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "directory-loader");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(Topics.DIRECTORY, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(Topics.DIRECTORY, p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(10));
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    model.setHealthy(true);
                    if (!model.caughtUp() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        model.markCaughtUp();
                        LOG.infof("directory read model caught up: %d entries", model.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                model.setHealthy(false);
                LOG.warnf("directory read model: %s; retrying", e.toString());
                sleep();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        try {
            model.apply(r.key(), EventCodec.decodeDirectory(r.value()));
        } catch (EventFormatException e) {
            LOG.errorf("mail.directory offset %d key %s skipped: %s", r.offset(), r.key(), e.getMessage());
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "smtp-ingress-directory");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    private static void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
