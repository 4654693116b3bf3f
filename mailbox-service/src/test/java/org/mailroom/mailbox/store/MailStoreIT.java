package org.mailroom.mailbox.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.core.QueueId;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.ingest.Delivery;
import org.mailroom.testsupport.MailroomTestResources;

/** The store against the real PostgreSQL, on a Vert.x context (Hibernate Reactive's rule). */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class MailStoreIT {

    @Inject
    MailStore store;

    @Inject
    MessageStore messages;

    @Inject
    Pool pool;

    @Inject
    Messages imap;

    private static Delivery delivery(String queueId, String account, String text) {
        byte[] content = text.getBytes(StandardCharsets.US_ASCII);
        return new Delivery(queueId, account, content, Delivery.sha256(content), Instant.now());
    }

    private Uni<List<Long>> uids(String account) {
        return pool.preparedQuery("SELECT m.uid FROM mailbox.messages m JOIN mailbox.mailboxes b ON b.id = m.mailbox_id "
                        + "WHERE b.account = $1 AND b.name = 'INBOX' ORDER BY m.uid")
                .execute(Tuple.of(account))
                .map(rows -> {
                    List<Long> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(r.getLong(0));
                    }
                    return out;
                });
    }

    private Uni<Row> inbox(String account) {
        return pool.preparedQuery("SELECT * FROM mailbox.mailboxes WHERE account = $1 AND name = 'INBOX'")
                .execute(Tuple.of(account)).map(rows -> rows.iterator().next());
    }

    @Test
    @RunOnVertxContext
    void concurrentBatchesToOneMailboxGetUniqueAscendingUids(UniAsserter asserter) {
        String account = "concurrent@example.test";
        int batches = 10;
        int perBatch = 20;
        List<Uni<List<StoreOutcome>>> all = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Delivery> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                batch.add(delivery(QueueId.next(), account, "Subject: " + b + "/" + i + "\r\n\r\nx\r\n"));
            }
            all.add(store.store(batch, a -> 0));
        }
        asserter.assertThat(() -> Uni.join().all(all).andFailFast(), results -> {
            for (List<StoreOutcome> outcomes : results) {
                long previous = 0;
                for (StoreOutcome o : outcomes) {
                    assertTrue(o.stored() && !o.duplicate());
                    assertTrue(o.uid() > previous, "ascending within a batch");
                    previous = o.uid();
                }
            }
        });
        asserter.assertThat(() -> uids(account), uids -> {
            assertEquals(batches * perBatch, uids.size());
            for (int i = 0; i < uids.size(); i++) {
                assertEquals(i + 1, uids.get(i), "UIDs 1..n without gaps or repeats");
            }
        });
        asserter.assertThat(() -> inbox(account), row -> {
            assertEquals(batches * perBatch + 1, row.getLong("uid_next"));
            assertEquals(batches * perBatch, row.getLong("message_count"));
        });
    }

    /** Not timed (no assertion on speed): prints the store's own rate, without Kafka in the way. */
    @Test
    @RunOnVertxContext
    void batchesOf500AreStoredAndTheRateLogged(UniAsserter asserter) {
        String body = "x".repeat(2000);
        long[] start = new long[1];
        Uni<Void> chain = Uni.createFrom().voidItem().invoke(() -> start[0] = System.nanoTime());
        for (int b = 0; b < 6; b++) {
            List<Delivery> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                batch.add(delivery(QueueId.next(), "rate" + (i % 50) + "@example.test", "Subject: " + b + "/" + i + "\r\n\r\n" + body));
            }
            chain = chain.chain(() -> store.store(batch, a -> 0)).replaceWithVoid();
        }
        Uni<Void> all = chain;
        asserter.assertThat(() -> all, v -> {
            double seconds = (System.nanoTime() - start[0]) / 1e9;
            System.out.printf("MailStore: 3000 messages of 2 KiB in batches of 500 in %.2f s = %.0f msg/s%n", seconds, 3000 / seconds);
        });
    }

    @Test
    @RunOnVertxContext
    void aDeliveryRepeatedInOneBatchOrAcrossBatchesIsStoredOnce(UniAsserter asserter) {
        String account = "dupes@example.test";
        Delivery d = delivery(QueueId.next(), account, "Subject: dup\r\n\r\nx\r\n");
        asserter.assertThat(() -> store.store(List.of(d, d), a -> 0), outcomes -> {
            assertFalse(outcomes.get(0).duplicate());
            assertTrue(outcomes.get(1).duplicate());
            assertEquals(outcomes.get(0).uid(), outcomes.get(1).uid());
        });
        asserter.assertThat(() -> store.store(List.of(d), a -> 0), outcomes -> {
            assertTrue(outcomes.get(0).duplicate());
            assertTrue(outcomes.get(0).stored());
            assertEquals(1, outcomes.get(0).uid());
        });
        asserter.assertThat(() -> uids(account), uids -> assertEquals(List.of(1L), uids));
    }

    @Test
    @RunOnVertxContext
    void expungeRemovesRecordsModseqAndNeverReusesUids(UniAsserter asserter) {
        String account = "expunge@example.test";
        List<Delivery> three = List.of(delivery(QueueId.next(), account, "A: 1\r\n\r\none\r\n"),
                delivery(QueueId.next(), account, "A: 2\r\n\r\ntwo\r\n"), delivery(QueueId.next(), account, "A: 3\r\n\r\nthree\r\n"));
        asserter.execute(() -> store.store(three, a -> 0));
        asserter.assertThat(() -> inbox(account).chain(row -> messages.expunge(row.getLong("id"), List.of(2L))),
                removed -> assertEquals(1, removed));
        asserter.assertThat(() -> uids(account), uids -> assertEquals(List.of(1L, 3L), uids));
        asserter.assertThat(() -> inbox(account), row -> {
            assertEquals(2, row.getLong("message_count"));
            assertEquals(three.get(0).size() + three.get(2).size(), row.getLong("total_size"));
        });
        asserter.assertThat(() -> pool.preparedQuery("SELECT e.uid, e.modseq, b.highest_modseq FROM mailbox.expunged e "
                        + "JOIN mailbox.mailboxes b ON b.id = e.mailbox_id WHERE b.account = $1").execute(Tuple.of(account)),
                rows -> {
                    assertEquals(1, rows.size());
                    Row r = rows.iterator().next();
                    assertEquals(2, r.getLong(0));
                    assertEquals(r.getLong(2), r.getLong(1), "expunged at the mailbox's highest modseq");
                });
        asserter.assertThat(() -> store.store(List.of(delivery(QueueId.next(), account, "A: 4\r\n\r\nfour\r\n")), a -> 0),
                outcomes -> assertEquals(4, outcomes.get(0).uid(), "UID 2 is never reused"));
        asserter.assertThat(() -> messages.usage(account), usage -> {
            assertTrue(usage.isPresent());
            assertEquals(3, usage.get().messages());
        });
        asserter.assertThat(() -> messages.inbox(account), snapshot -> {
            assertTrue(snapshot.isPresent());
            assertEquals(List.of(1L, 3L, 4L), snapshot.get().messages().stream().map(m -> m.uid).toList());
        });
    }

    /** SELECT's read of a mailbox: the UIDs in pages (here of two, four and the default), gaps kept. */
    @Test
    @RunOnVertxContext
    void openReadsTheUidsInPagesWithTheFirstUnseenAndTheKeywordsInUse(UniAsserter asserter) {
        String account = "pages@example.test";
        List<Delivery> seven = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            seven.add(delivery(QueueId.next(), account, "Subject: " + i + "\r\n\r\nx\r\n"));
        }
        asserter.execute(() -> store.store(seven, a -> 0));
        asserter.execute(() -> inbox(account).chain(row -> messages.expunge(row.getLong("id"), List.of(3L))));
        asserter.execute(() -> pool.preparedQuery("UPDATE mailbox.messages m SET seen = m.uid < 4, "
                        + "keywords = CASE m.uid WHEN 5 THEN '{$Work,Later}'::text[] WHEN 6 THEN '{$Work}'::text[] ELSE '{}' END "
                        + "FROM mailbox.mailboxes b WHERE b.id = m.mailbox_id AND b.account = $1").execute(Tuple.of(account)));
        long[] expected = {1, 2, 4, 5, 6, 7};
        for (long page : new long[] {2, 4, Messages.UID_PAGE}) { // 2: three full pages, then an empty one
            asserter.assertThat(() -> imap.open(account, "INBOX", false, page), opened -> {
                assertTrue(opened.isPresent());
                assertArrayEquals(expected, opened.get().uids(), "page of " + page);
                assertEquals(4, opened.get().firstUnseenUid());
                assertEquals(List.of("$Work", "Later"), opened.get().keywords());
                assertEquals(6, opened.get().mailbox().messages());
                assertEquals(1, opened.get().recentFrom(), "EXAMINE: recent what no one claimed");
                assertEquals(8, opened.get().recentTo());
            });
        }
        asserter.assertThat(() -> imap.open(account, "INBOX", true, 2), opened -> { // claims, then reads in pages
            assertArrayEquals(expected, opened.get().uids());
            assertEquals(1, opened.get().recentFrom());
            assertEquals(8, opened.get().recentTo());
        });
        asserter.assertThat(() -> imap.open(account, "INBOX", true, 2), opened -> { // nothing left to claim
            assertArrayEquals(expected, opened.get().uids());
            assertEquals(opened.get().recentFrom(), opened.get().recentTo());
            assertEquals(List.of("$Work", "Later"), opened.get().keywords());
        });
        asserter.assertThat(() -> imap.open(account, "No such box", false, 2), opened -> assertTrue(opened.isEmpty()));
        String emptied = "emptied@example.test";
        asserter.execute(() -> store.store(List.of(delivery(QueueId.next(), emptied, "A: 1\r\n\r\none\r\n")), a -> 0));
        asserter.execute(() -> inbox(emptied).chain(row -> messages.expunge(row.getLong("id"), List.of(1L))));
        asserter.assertThat(() -> imap.open(emptied, "INBOX", true, 2), opened -> {
            assertTrue(opened.isPresent());
            assertArrayEquals(new long[0], opened.get().uids());
            assertEquals(List.of(), opened.get().keywords());
        });
    }

    /** Parts larger than a slice are read in several statements and come out whole and exact. */
    @Test
    @RunOnVertxContext
    void largeMessagesAndHeadersAreReadInSlicesExactly(UniAsserter asserter) {
        String account = "large@example.test";
        StringBuilder big = new StringBuilder("Subject: large\r\nX-Filler: ");
        java.util.Random random = new java.util.Random(42);
        while (big.length() < 2 * BlobSlices.SLICE + 12345) { // two whole slices and a part of one
            big.append((char) ('a' + random.nextInt(26)));
        }
        String header = big.toString();
        Delivery withBody = delivery(QueueId.next(), account, header + "\r\n\r\nthe body\r\n");
        Delivery allHeader = delivery(QueueId.next(), account, header + "\r\n"); // no empty line: all header
        Delivery small = delivery(QueueId.next(), account, "Subject: small\r\n\r\nx\r\n");
        asserter.execute(() -> store.store(List.of(withBody, allHeader, small), a -> 0));
        Uni<Long> inboxId = inbox(account).map(row -> row.getLong("id"));
        asserter.assertThat(() -> inboxId.chain(id -> imap.fetch(id, new long[] {1, 2, 3}, Messages.Content.FULL)), rows -> {
            assertEquals(3, rows.size());
            assertArrayEquals(withBody.content(), rows.get(0).content());
            assertArrayEquals(allHeader.content(), rows.get(1).content());
            assertArrayEquals(small.content(), rows.get(2).content());
        });
        asserter.assertThat(() -> inboxId.chain(id -> imap.fetch(id, new long[] {1, 2}, Messages.Content.HEADER)), rows -> {
            byte[] expected = (header + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(expected, rows.get(0).content(), "the header section ends with its empty line");
            assertArrayEquals(allHeader.content(), rows.get(1).content());
        });
        asserter.assertThat(() -> messages.content(withBody.sha256(), withBody.size()),
                octets -> assertArrayEquals(withBody.content(), octets));
        asserter.assertThat(() -> messages.content(small.sha256(), small.size()),
                octets -> assertArrayEquals(small.content(), octets));
    }
}
