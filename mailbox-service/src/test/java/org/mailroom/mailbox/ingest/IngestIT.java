package org.mailroom.mailbox.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.mailroom.core.QueueId;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.LocalDelivery;
import org.mailroom.core.event.StatusEvent;
import org.mailroom.mailbox.Fixtures;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;
import org.mailroom.testsupport.TopicReader;

/** mail.local in, rows and mail.status out, against the real broker and database. */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class IngestIT {

    @Inject
    Directory directory;

    private static List<StatusEvent> statuses(TopicReader reader, String queueId, int n) {
        List<StatusEvent> found = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : reader.drain(Duration.ZERO)) {
            if (r.key().equals(queueId)) {
                found.add(EventCodec.decodeStatus(r.value()));
            }
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (found.size() < n && System.currentTimeMillis() < deadline) {
            found.clear();
            for (ConsumerRecord<String, byte[]> r : reader.drain(Duration.ofMillis(300))) {
                if (r.key().equals(queueId)) {
                    found.add(EventCodec.decodeStatus(r.value()));
                }
            }
        }
        return found;
    }

    @Test
    void redeliveredRecordIsStoredOnceAndReportedBothTimes() {
        String account = "redelivered@example.test";
        String queueId = QueueId.next();
        LocalDelivery d = Fixtures.local(queueId, "bob@remote.test", account,
                "Subject: twice\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        try (TopicReader status = TopicReader.fromEnd(Infra.kafka(), Topics.STATUS)) {
            Fixtures.send(d);
            Fixtures.awaitDelivery(queueId, account);
            Fixtures.send(d);
            List<StatusEvent> events = statuses(status, queueId, 2);
            assertEquals(2, events.size(), events.toString());
            for (StatusEvent e : events) {
                assertEquals(StatusEvent.Status.STORED, e.status());
                assertNull(e.original(), "only a rejection carries the original");
                assertEquals(account, e.recipient());
                assertEquals("mailbox-service", e.service());
            }
        }
        assertEquals("1", Fixtures.query("SELECT count(*) FROM mailbox.messages WHERE queue_id = ?", queueId));
        assertEquals("1", Fixtures.query("SELECT message_count FROM mailbox.mailboxes WHERE account = ? AND name = 'INBOX'", account));
    }

    @Test
    void returnPathIsPrependedAndDefaultMailboxesCreated() throws Exception {
        String account = "fresh@example.test";
        byte[] message = "From: a@remote.test\r\nSubject: hi\r\n\r\n.dot line\r\n".getBytes(StandardCharsets.US_ASCII);
        String queueId = QueueId.next();
        Fixtures.send(Fixtures.local(queueId, "a@remote.test", account, message));
        assertEquals("stored", Fixtures.awaitDelivery(queueId, account));
        try (Connection c = Infra.postgres().connect();
                PreparedStatement ps = c.prepareStatement("SELECT b.content, m.uid, m.size FROM mailbox.messages m "
                        + "JOIN mailbox.blobs b ON b.sha256 = m.blob_sha256 WHERE m.queue_id = ?")) {
            ps.setString(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                byte[] expected = ("Return-Path: <a@remote.test>\r\n" + new String(message, StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                assertArrayEquals(expected, rs.getBytes(1));
                assertEquals(1, rs.getLong(2));
                assertEquals(expected.length, rs.getLong(3));
            }
            Map<String, String> boxes = new TreeMap<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT name, coalesce(special_use, '') FROM mailbox.mailboxes WHERE account = ?")) {
                q.setString(1, account);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        boxes.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            assertEquals(Map.of("INBOX", "", "Sent", "\\Sent", "Drafts", "\\Drafts", "Trash", "\\Trash", "Junk", "\\Junk"), boxes);
        }
    }

    @Test
    void oneBlobForAMessageToTwoAccounts() {
        String queueId = QueueId.next();
        byte[] message = ("Subject: shared " + queueId + "\r\n\r\nsame bytes\r\n").getBytes(StandardCharsets.US_ASCII);
        Fixtures.send(Fixtures.local(queueId, "c@remote.test", "first@example.test", message));
        Fixtures.send(Fixtures.local(queueId, "c@remote.test", "second@example.test", message));
        Fixtures.awaitDelivery(queueId, "first@example.test");
        Fixtures.awaitDelivery(queueId, "second@example.test");
        assertEquals("2", Fixtures.query("SELECT count(*) FROM mailbox.messages WHERE queue_id = ?", queueId));
        assertEquals("1", Fixtures.query("SELECT count(DISTINCT blob_sha256) FROM mailbox.messages WHERE queue_id = ?", queueId));
    }

    @Test
    void overQuotaIsRejectedAndReportedNotStored() {
        String account = "full@example.test";
        Fixtures.account(directory, account, "secret", 200);
        String first = QueueId.next();
        String second = QueueId.next();
        try (TopicReader status = TopicReader.fromEnd(Infra.kafka(), Topics.STATUS)) {
            Fixtures.send(Fixtures.local(first, "d@remote.test", account, "Subject: small\r\n\r\nok\r\n".getBytes(StandardCharsets.US_ASCII)));
            Fixtures.send(Fixtures.local(second, "d@remote.test", account, ("Subject: big\r\n\r\n" + "x".repeat(300) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            assertEquals("stored", Fixtures.awaitDelivery(first, account));
            assertEquals("rejected", Fixtures.awaitDelivery(second, account));
            List<StatusEvent> events = statuses(status, second, 1);
            assertEquals(1, events.size());
            assertEquals(StatusEvent.Status.REJECTED, events.get(0).status());
            assertTrue(events.get(0).reason().contains("5.2.2"), events.get(0).reason());
            // What policy-service needs to bounce it (docs/events.md, "status"):
            StatusEvent.Original original = events.get(0).original();
            assertNotNull(original, "a rejection carries the original's DSN facts");
            assertEquals("d@remote.test", original.mailFrom());
            assertEquals(account, original.recipient().address());
            assertEquals("Subject: big\r\n", original.headers());
            assertTrue(!original.headersTruncated());
        }
        assertEquals("0", Fixtures.query("SELECT count(*) FROM mailbox.messages WHERE queue_id = ?", second));
    }

    @Test
    void undecodableRecordIsDeadLetteredAndIngestGoesOn() throws Exception {
        try (TopicReader dead = TopicReader.fromEnd(Infra.kafka(), Topics.DEADLETTER)) {
            Fixtures.producer().send(new ProducerRecord<>(Topics.LOCAL, "poison@example.test",
                    "not an event".getBytes(StandardCharsets.US_ASCII))).get();
            Fixtures.deliver("poison@example.test", "Subject: after poison\r\n\r\nfine\r\n");
            ConsumerRecord<String, byte[]> parked = dead.await(r -> "poison@example.test".equals(r.key()), Duration.ofSeconds(20));
            assertNotNull(parked);
            assertEquals("not an event", new String(parked.value(), StandardCharsets.US_ASCII));
        }
    }

    /** Not timed (no assertion on speed): prints the rate so a slowdown shows in the build log. */
    @Test
    void aBurstOfSmallMessagesIsStoredAndTheRateLogged() throws Exception {
        int n = 3000;
        String body = "x".repeat(2000);
        String prefix = "burst-" + System.nanoTime() + "-";
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String account = prefix + (i % 30) + "@example.test";
            LocalDelivery d = Fixtures.local(QueueId.next(), "load@remote.test", account,
                    ("Subject: " + i + "\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII));
            Fixtures.producer().send(new ProducerRecord<>(Topics.LOCAL, account, EventCodec.encode(d)));
        }
        Fixtures.producer().flush();
        double produced = (System.nanoTime() - start) / 1e9;
        long deadline = System.currentTimeMillis() + 120_000;
        String count;
        while (!String.valueOf(n).equals(count = Fixtures.query(
                "SELECT count(*) FROM mailbox.messages m JOIN mailbox.mailboxes b ON b.id = m.mailbox_id WHERE b.account LIKE ?",
                prefix + "%")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(String.valueOf(n), count);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("mail.local -> stored: %d messages of 2 KiB in %.2f s = %.0f msg/s (the test's producer took %.2f s)%n",
                n, seconds, n / seconds, produced);
    }

    @Test
    void usageNeedsTheTokenAndCountsEveryMailbox() {
        String account = "usage@example.test";
        Fixtures.deliver(account, "Subject: 1\r\n\r\none\r\n");
        Fixtures.deliver(account, "Subject: 2\r\n\r\ntwo\r\n");
        given().when().get("/api/v1/usage/" + account).then().statusCode(401);
        given().header("Authorization", "Bearer wrong").when().get("/api/v1/usage/" + account).then().statusCode(401);
        given().header("Authorization", "Bearer test-admin-token").when().get("/api/v1/usage/nobody@example.test")
                .then().statusCode(404);
        String bytes = Fixtures.query("SELECT sum(size) FROM mailbox.messages m JOIN mailbox.mailboxes b ON b.id = m.mailbox_id "
                + "WHERE b.account = ?", account);
        given().header("Authorization", "Bearer test-admin-token").when().get("/api/v1/usage/" + account)
                .then().statusCode(200)
                .body("address", is(account))
                .body("messages", is(2))
                .body("bytes", is(Integer.parseInt(bytes)));
    }

    /**
     * The offset of a mail.local record is committed only after the transaction that stored it
     * committed: while the store waits on a locked table, the group's committed offset stays at the
     * record (so a crash now would deliver it again); once the lock goes, the message is stored and
     * the offset moves past it.
     */
    @Test
    void theOffsetIsCommittedOnlyAfterTheStoreCommitted() throws Exception {
        String account = "offset@ingest.test";
        Fixtures.account(directory, account, "secret", 0);
        Fixtures.deliver(account, "Subject: first\r\n\r\none\r\n"); // the consumer owns the partition
        String group = ConfigProvider.getConfig().getValue("mp.messaging.incoming.local.group.id", String.class);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p); Connection lock = Infra.postgres().connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE mailbox.deliveries IN ACCESS EXCLUSIVE MODE");
            String queueId = QueueId.next();
            LocalDelivery d = Fixtures.local(queueId, "sender@remote.test", account, "Subject: second\r\n\r\ntwo\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            RecordMetadata sent = Fixtures.producer().send(new ProducerRecord<>(Topics.LOCAL, account, EventCodec.encode(d)))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            TopicPartition tp = new TopicPartition(sent.topic(), sent.partition());
            Thread.sleep(7_000); // longer than the consumer's commit interval (5 s)
            assertTrue(committed(admin, group, tp) <= sent.offset(), "committed while the store waited");
            try (PreparedStatement ps = lock.prepareStatement("SELECT 1 FROM mailbox.deliveries WHERE queue_id = ?")) {
                ps.setString(1, queueId); // asked through the lock's own connection: others wait for it
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(!rs.next(), "not stored while the table is locked");
                }
            }
            lock.rollback(); // the lock goes
            assertEquals("stored", Fixtures.awaitDelivery(queueId, account));
            long deadline = System.currentTimeMillis() + 30_000;
            while (committed(admin, group, tp) <= sent.offset() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(committed(admin, group, tp) > sent.offset(), "committed once stored");
        }
    }

    private static long committed(Admin admin, String group, TopicPartition tp) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, java.util.concurrent.TimeUnit.SECONDS).get(tp);
        return o == null ? -1 : o.offset();
    }
}
