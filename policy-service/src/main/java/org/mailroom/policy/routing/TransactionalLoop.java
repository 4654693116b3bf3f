package org.mailroom.policy.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import org.jboss.logging.Logger;
import org.mailroom.core.Topics;

/**
 * A read-process-write loop on one topic: one Kafka transaction per poll holds every record the
 * batch produced together with the consumed offsets ({@code sendOffsetsToTransaction}), so a crash
 * anywhere before the commit neither loses nor doubles an output: the transaction is aborted, and
 * the records are read and handled again. Readers use {@code isolation.level=read_committed}. A
 * zombie is fenced by the consumer group generation (KIP-447). It runs on its own thread, never on
 * an event loop. Used by {@link RoutingConsumer} ({@code mail.inbound}) and {@link StatusConsumer}
 * ({@code mail.status}).
 */
final class TransactionalLoop {

    private static final Logger LOG = Logger.getLogger(TransactionalLoop.class);

    /** What one batch produced, and what to do once it is committed (count, remember). */
    record Output(List<ProducerRecord<String, byte[]>> records, Runnable committed) {}

    /** Turns a batch into its outputs; called again with the same records after an abort. */
    interface Handler {
        Output handle(ConsumerRecords<String, byte[]> batch, Instant now);
    }

    /** Blocks until the loop may consume (the directory is loaded); false to ask again. */
    interface Gate {
        boolean await(Duration timeout) throws InterruptedException;
    }

    record Settings(String name, String topic, String bootstrap, String groupId, String transactionalId,
            int maxPollRecords, Duration transactionTimeout, Duration retryBackoff) {}

    private final Settings settings;
    private final Gate gate;
    private final Handler handler;
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

    TransactionalLoop(Settings settings, Gate gate, Handler handler) {
        this.settings = settings;
        this.gate = gate;
        this.handler = handler;
    }

    synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, settings.name());
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
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

    /** The loop holds its clients (transactions initialised). */
    boolean active() {
        return active;
    }

    boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Records of the topic not yet handled, over this instance's partitions. */
    long lag() {
        return lag.get();
    }

    /**
     * Fault injection for tests: the next transaction, once its records were sent and its offsets
     * added, is neither committed nor aborted; the loop closes its consumer and abandons its
     * producer, as a killed process would, and stops. {@link #start()} begins again.
     */
    void crashBeforeNextCommit() {
        crashBeforeCommit.set(true);
    }

    private void run() {
        while (running) {
            try {
                if (!gate.await(Duration.ofSeconds(1))) {
                    continue;
                }
                session();
            } catch (Crash crash) {
                LOG.warn(crash.getMessage());
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed; starting again in %s", settings.name(), settings.retryBackoff());
                sleep(settings.retryBackoff());
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
            c.subscribe(List.of(settings.topic()));
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
            Output out = handler.handle(batch, Instant.now());
            out.records().forEach(producer::send);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<String, byte[]> in : batch) {
                offsets.put(new TopicPartition(in.topic(), in.partition()), new OffsetAndMetadata(in.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
            if (crashBeforeCommit.getAndSet(false)) {
                throw new Crash();
            }
            producer.commitTransaction();
            out.committed().run();
        } catch (Crash | ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                | AuthorizationException e) {
            throw e; // fatal for this producer: the session ends, a new one starts from the committed offsets
        } catch (KafkaException e) {
            LOG.warnf("%s: transaction aborted, the batch will be handled again: %s", settings.name(), e.toString());
            producer.abortTransaction();
            rewind(c, batch);
            sleep(settings.retryBackoff());
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
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.transactionalId() + "-consumer");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        // One fetch holds about one largest record: bounded memory under deploy/local's -Xmx256m.
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId() + "-producer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.MAX_RECORD_BYTES); // docs/events.md: one maximal record always fits
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
