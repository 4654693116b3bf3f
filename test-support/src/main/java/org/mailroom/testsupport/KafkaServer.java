package org.mailroom.testsupport;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.mailroom.core.Topics;
import org.testcontainers.kafka.KafkaContainer;

/** A real Kafka broker for tests, with the topics of {@link Topics#ALL} created as deploy/local creates them. */
public final class KafkaServer implements AutoCloseable {

    private final String kind;
    private final String bootstrapServers;
    private final AutoCloseable owned;

    private KafkaServer(String kind, String bootstrapServers, AutoCloseable owned) {
        this.kind = kind;
        this.bootstrapServers = bootstrapServers;
        this.owned = owned;
    }

    public String kind() {
        return kind;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public static KafkaServer external(String bootstrap) {
        return new KafkaServer("env", bootstrap, null);
    }

    static KafkaServer testcontainers() {
        KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2")
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(Topics.MAX_RECORD_BYTES))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new KafkaServer("testcontainers", container.getBootstrapServers(), container::stop);
    }

    /** An in-JVM single-node KRaft cluster (broker and controller combined) on ephemeral ports. */
    static KafkaServer embedded() {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(Files.createTempDirectory("mailroom-kafka-"))
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("message.max.bytes", String.valueOf(Topics.MAX_RECORD_BYTES))
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setDeleteOnClose(true)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaServer("embedded", cluster.bootstrapServers(), cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        }
    }

    /** Creates the platform's topics if missing (a shared external broker may already have them). */
    public void createTopics() {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.Spec spec : Topics.ALL) {
                if (!existing.contains(spec.name())) {
                    missing.add(newTopic(spec));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create the topics on " + bootstrapServers, e);
        }
    }

    static NewTopic newTopic(Topics.Spec spec) {
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) 1);
        Map<String, String> configs = new java.util.HashMap<>();
        if (spec.compacted()) {
            configs.put("cleanup.policy", "compact");
        }
        if (spec.carriesMessages()) {
            configs.put("max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
        }
        return topic.configs(configs);
    }

    /** An admin client for tests; close it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    /** Names of the topics on the broker, for assertions. */
    public Set<String> topicNames() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().collect(Collectors.toSet());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes one record and waits for the broker's acknowledgement (a null value is a tombstone). */
    public void produce(String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(p,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                // best effort at JVM exit
            }
        }
    }
}
