package org.mailroom.mailbox;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.core.auth.PasswordHash;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.LocalDelivery;
import org.mailroom.core.event.Recipient;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.testsupport.Infra;

/** Puts accounts and mail on the real topics and waits for the service to take them. */
public final class Fixtures {

    private static KafkaProducer<String, byte[]> producer;

    public static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafka().bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    public static LocalDelivery local(String queueId, String from, String account, byte[] message) {
        Envelope env = new Envelope(queueId, Instant.now(), "mx.test", "mx", "192.0.2.1", "client.test", null, null,
                from, List.of(Recipient.of(account)), null, null, null, false, message.length);
        return new LocalDelivery(env, account, message);
    }

    public static void send(LocalDelivery delivery) {
        try {
            producer().send(new ProducerRecord<>(Topics.LOCAL, delivery.mailbox(), EventCodec.encode(delivery)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers a message to an account and waits until it is stored; answers its queue id. */
    public static String deliver(String account, String message) {
        String queueId = QueueId.next();
        send(local(queueId, "sender@remote.test", account, message.getBytes(StandardCharsets.UTF_8)));
        awaitDelivery(queueId, account);
        return queueId;
    }

    public static void account(Directory directory, String address, String password, long quota) {
        DirectoryEntry.Account account = new DirectoryEntry.Account(address, PasswordHash.hash(password), true, quota);
        try {
            producer().send(new ProducerRecord<>(Topics.DIRECTORY, account.key(), EventCodec.encode(account)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (directory.account(address).map(a -> a.quotaBytes() != quota).orElse(true)) {
            if (Instant.now().isAfter(deadline)) {
                fail("the directory read model did not see " + address);
            }
            sleep(50);
        }
    }

    /** Waits for the deliveries row of (queue id, account); answers its outcome. */
    public static String awaitDelivery(String queueId, String account) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            String outcome = query("SELECT outcome FROM mailbox.deliveries WHERE queue_id = ? AND recipient = ?", queueId, account);
            if (outcome != null) {
                return outcome;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("not stored within 30 s: " + queueId + " for " + account);
            }
            sleep(50);
        }
    }

    /** The first column of the first row, as text, or null. */
    public static String query(String sql, Object... params) {
        try (Connection c = Infra.postgres().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    private Fixtures() {}
}
