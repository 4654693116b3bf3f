package org.mailroom.policy.routing;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * A read-process-write loop on one topic: one Kafka transaction per chunk of a poll holds every
 * record the chunk produced together with the consumed offsets ({@code sendOffsetsToTransaction}),
 * so a crash anywhere before the commit neither loses nor doubles an output: the transaction is
 * aborted, and the records are read and handled again. A chunk is at most {@code maxPollRecords}
 * records and {@code maxTransactionBytes} of record values (a larger record alone): a transaction
 * costs a few broker round trips whatever it holds, so small records go many to a transaction,
 * while what one transaction makes the process hold stays bounded. A chunk that produces nothing
 * (most of {@code mail.status}) only commits its offsets, without a transaction. Readers use {@code isolation.level=read_committed}. A
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
        Output handle(List<ConsumerRecord<String, byte[]>> batch, Instant now);
    }

    /** Blocks until the loop may consume (the directory is loaded); false to ask again. */
    interface Gate {
        boolean await(Duration timeout) throws InterruptedException;
    }

    record Settings(String name, String topic, String bootstrap, String groupId, String transactionalId,
            int maxPollRecords, long maxTransactionBytes, Duration transactionTimeout, Duration retryBackoff) {}

    private final Settings settings;
    private final Gate gate;
    private final Handler handler;
    private final Timer transactions;
    private final DistributionSummary chunkRecords;
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

    TransactionalLoop(Settings settings, Gate gate, Handler handler, MeterRegistry registry) {
        this.settings = settings;
        this.gate = gate;
        this.handler = handler;
        this.transactions = Timer.builder("policy.transaction")
                .description("One Kafka transaction of a loop, from its begin to its commit or abort")
                .tag("loop", settings.name())
                .publishPercentileHistogram()
                .register(registry);
        this.chunkRecords = DistributionSummary.builder("policy.transaction.records")
                .description("Consumed records per transaction of a loop")
                .tag("loop", settings.name())
                .register(registry);
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
                List<List<ConsumerRecord<String, byte[]>>> chunks = chunks(batch, settings.maxPollRecords(),
                        settings.maxTransactionBytes());
                for (int i = 0; i < chunks.size(); i++) {
                    if (!transaction(c, producer, chunks.get(i))) {
                        rewind(c, chunks.subList(i, chunks.size())); // this chunk and the rest of the poll come again
                        sleep(settings.retryBackoff());
                        break;
                    }
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

    /**
     * The records of a poll in order, cut into chunks of at most {@code maxRecords} records and
     * {@code maxBytes} of values; a record larger than {@code maxBytes} makes a chunk alone. Never an
     * empty chunk.
     */
    static List<List<ConsumerRecord<String, byte[]>>> chunks(Iterable<ConsumerRecord<String, byte[]>> records,
            int maxRecords, long maxBytes) {
        List<List<ConsumerRecord<String, byte[]>>> out = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> current = new ArrayList<>();
        long bytes = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            long size = r.value() == null ? 0 : r.value().length;
            if (!current.isEmpty() && (current.size() >= maxRecords || bytes + size > maxBytes)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(r);
            bytes += size;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** One transaction over a chunk; false when it was aborted (the caller rewinds). */
    private boolean transaction(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
            List<ConsumerRecord<String, byte[]>> batch) {
        long begin = System.nanoTime();
        chunkRecords.record(batch.size());
        try {
            return transactionTimed(c, producer, batch);
        } finally {
            transactions.record(System.nanoTime() - begin, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private boolean transactionTimed(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
            List<ConsumerRecord<String, byte[]>> batch) {
        Output out = handler.handle(batch, Instant.now());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> in : batch) {
            offsets.put(new TopicPartition(in.topic(), in.partition()), new OffsetAndMetadata(in.offset() + 1));
        }
        if (out.records().isEmpty()) {
            // Nothing to make atomic with the offsets (most of mail.status): one plain commit instead
            // of a transaction's four round trips and its markers.
            try {
                c.commitSync(offsets);
                out.committed().run();
                return true;
            } catch (KafkaException e) {
                if (e instanceof WakeupException) {
                    throw e;
                }
                LOG.warnf("%s: offsets not committed, the batch will be handled again: %s", settings.name(), e.toString());
                return false;
            }
        }
        producer.beginTransaction();
        try {
            out.records().forEach(producer::send);
            producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
            if (crashBeforeCommit.getAndSet(false)) {
                throw new Crash();
            }
            producer.commitTransaction();
            out.committed().run();
            return true;
        } catch (Crash | ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                | AuthorizationException e) {
            throw e; // fatal for this producer: the session ends, a new one starts from the committed offsets
        } catch (KafkaException e) {
            LOG.warnf("%s: transaction aborted, the batch will be handled again: %s", settings.name(), e.toString());
            producer.abortTransaction();
            return false;
        }
    }

    /**
     * Back to the first of these records on each partition, so the aborted chunk and the chunks of
     * the poll after it are read again (the poll moved every partition's position past its records).
     */
    private static void rewind(KafkaConsumer<String, byte[]> c, List<List<ConsumerRecord<String, byte[]>>> unhandled) {
        firstOffsets(unhandled).forEach(c::seek);
    }

    /** The first offset of each partition among these chunks, in their order. */
    static Map<TopicPartition, Long> firstOffsets(List<List<ConsumerRecord<String, byte[]>>> chunks) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (List<ConsumerRecord<String, byte[]>> chunk : chunks) {
            for (ConsumerRecord<String, byte[]> r : chunk) {
                first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
            }
        }
        return first;
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
        // A transaction that starts while the coordinator still writes the previous one's markers is
        // told CONCURRENT_TRANSACTIONS and retried after retry.backoff.ms: at the default 100 ms that
        // wait was the tail of the end-to-end latency (docs/benchmarks.md). The back-off still
        // grows exponentially up to retry.backoff.max.ms when the broker is really unavailable.
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
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
