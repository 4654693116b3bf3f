package org.mailroom.mailbox.directory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mailroom.core.Topics;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.EventFormatException;

/**
 * The accounts of the directory, read from the compacted mail.directory topic from its beginning
 * on every start (manual assignment, no consumer group: every instance reads everything). Ready
 * once it has read up to the end offsets the topic had when it started.
 */
@ApplicationScoped
public class Directory {

    private static final Logger LOG = Logger.getLogger(Directory.class);

    private final String bootstrap;
    private volatile Map<String, DirectoryEntry.Account> accounts = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile long lag = -1;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public Directory(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, MeterRegistry registry) {
        this.bootstrap = bootstrap;
        Gauge.builder("mailbox_directory_accounts", this, d -> d.accounts.size()).register(registry);
        Gauge.builder("mailbox_directory_lag", this, d -> d.lag).register(registry);
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "directory-reader");
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

    /** True once the read model holds the directory as it was when the service started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Records still to read before {@link #caughtUp()}; -1 before the end offsets are known. */
    public long lag() {
        return lag;
    }

    /** The account a login name names, compared case-insensitively. */
    public Optional<DirectoryEntry.Account> account(String login) {
        return login == null ? Optional.empty() : Optional.ofNullable(accounts.get(login.toLowerCase(Locale.ROOT)));
    }

    /** Quota in octets of a canonical account address; 0 when none or unknown. */
    public long quotaOf(String account) {
        return account(account).map(DirectoryEntry.Account::quotaBytes).orElse(0L);
    }

    /** Applies one record of the topic to the live model; public for tests. */
    public void apply(String key, byte[] value) {
        apply(accounts, key, value);
    }

    private static void apply(Map<String, DirectoryEntry.Account> accounts, String key, byte[] value) {
        if (key == null || !key.startsWith("account:")) {
            return;
        }
        String address = key.substring("account:".length()).toLowerCase(Locale.ROOT);
        if (value == null) {
            accounts.remove(address);
            return;
        }
        try {
            if (EventCodec.decodeDirectory(value) instanceof DirectoryEntry.Account a) {
                accounts.put(a.address().toLowerCase(Locale.ROOT), a);
            }
        } catch (EventFormatException e) {
            LOG.errorf("mail.directory %s: undecodable, ignored: %s", key, e.getMessage());
        }
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "mailbox-service-directory");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
                consumer = c;
                read(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.errorf(e, "reading %s failed; starting over in 5 s", Topics.DIRECTORY);
                sleep(Duration.ofSeconds(5));
            }
        }
    }

    private void read(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(Topics.DIRECTORY, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.DIRECTORY + " has no partitions (does it exist?)");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions, Duration.ofSeconds(30)));
        // Starting over (first start, or after a failure): rebuild aside, swap in once caught up,
        // so logins keep the old model meanwhile rather than an empty one.
        Map<String, DirectoryEntry.Account> target = caughtUp ? new ConcurrentHashMap<>() : accounts;
        boolean rebuilt = !caughtUp;
        while (running) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                apply(target, r.key(), r.value());
            }
            if (!caughtUp) {
                long remaining = 0;
                for (TopicPartition tp : partitions) {
                    remaining += Math.max(0, end.get(tp) - c.position(tp));
                }
                lag = remaining;
                if (remaining == 0) {
                    caughtUp = true;
                    rebuilt = true;
                    LOG.infof("directory read model caught up: %d accounts", accounts.size());
                }
            } else if (!rebuilt) {
                long remaining = 0;
                for (TopicPartition tp : partitions) {
                    remaining += Math.max(0, end.get(tp) - c.position(tp));
                }
                if (remaining == 0) {
                    accounts = target;
                    rebuilt = true;
                    LOG.infof("directory read model rebuilt: %d accounts", target.size());
                }
            } else {
                lag = 0;
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
