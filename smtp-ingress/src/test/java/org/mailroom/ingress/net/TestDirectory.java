package org.mailroom.ingress.net;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.mailroom.core.Topics;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.event.EventCodec;
import org.mailroom.ingress.directory.DirectoryLoader;
import org.mailroom.testsupport.Infra;

/** Puts a small directory on the real mail.directory topic, once, and waits until ingress has read it. */
final class TestDirectory {

    /** bcrypt of "U*U" (an OpenBSD test vector): cheap to verify. */
    static final String ALICE_PASSWORD = "U*U";
    private static final java.util.Set<String> PUBLISHED = new java.util.HashSet<>();

    static void ensure(DirectoryLoader loader) {
        ensure(loader, Infra.kafka());
    }

    static synchronized void ensure(DirectoryLoader loader, org.mailroom.testsupport.KafkaServer kafka) {
        if (PUBLISHED.add(kafka.bootstrapServers())) {
            List<DirectoryEntry> entries = List.of(
                    new DirectoryEntry.Domain("example.test", null),
                    new DirectoryEntry.Account("alice@example.test",
                            "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", true, 0),
                    new DirectoryEntry.Alias("team@example.test", List.of("alice@example.test")),
                    new DirectoryEntry.Network("10.0.0.0/8"),
                    new DirectoryEntry.Domain("gone.test", null));
            for (DirectoryEntry e : entries) {
                kafka.produce(Topics.DIRECTORY, e.key(), EventCodec.encode(e));
            }
            kafka.produce(Topics.DIRECTORY, "domain:gone.test", null); // a tombstone
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (loader.model().usable() && loader.model().recipientExists(MailAddress.of("team@example.test"))
                    && !loader.model().isHostedDomain("gone.test")) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("smtp-ingress did not read the test directory from mail.directory");
    }

    private TestDirectory() {}
}
