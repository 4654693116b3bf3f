package org.mailroom.mailbox.imap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.Fixtures;
import org.mailroom.mailbox.LineClient;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.mailbox.pop3.net.Pop3Server;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * One maildrop, two protocols at once: a message deleted over POP3 (DELE, then QUIT's UPDATE
 * state, RFC 1939 §6) is expunged for an IMAP session that has INBOX selected (RFC 3501 §7.4.1,
 * told at its next NOOP), and a message expunged over IMAP is gone from the next POP3 maildrop.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class CrossProtocolIT {

    @Inject
    Directory directory;

    @Inject
    ImapServer imap;

    @Inject
    Pop3Server pop3;

    private static List<String> untilTagged(LineClient c, String tag) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = c.readLine();
            lines.add(line);
        } while (!line.startsWith(tag + " "));
        return lines;
    }

    private static String pop3(LineClient p, String command) throws Exception {
        p.send(command);
        return p.readLine();
    }

    @Test
    void deletionsOverPop3AreExpungedOverImapAndTheOtherWayRound() throws Exception {
        String user = "both@cross.test";
        Fixtures.account(directory, user, "secret", 0);
        for (int i = 1; i <= 3; i++) {
            Fixtures.deliver(user, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
        }
        try (LineClient c = new LineClient(imap.tlsPort(), true)) {
            c.readLine();
            c.send("a LOGIN " + user + " secret");
            assertTrue(c.readLine().startsWith("a OK"));
            c.send("b SELECT INBOX");
            assertTrue(untilTagged(c, "b").contains("* 3 EXISTS"));

            try (LineClient p = new LineClient(pop3.tlsPort(), true)) {
                p.readLine();
                pop3(p, "USER " + user);
                assertTrue(pop3(p, "PASS secret").startsWith("+OK maildrop has 3 messages"));
                assertTrue(pop3(p, "DELE 2").startsWith("+OK"));
                c.send("c NOOP"); // not yet: POP3 deletes only in the UPDATE state
                assertEquals(List.of("c OK NOOP completed"), untilTagged(c, "c"));
                assertTrue(pop3(p, "QUIT").startsWith("+OK"));
            }
            List<String> noop = List.of();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!noop.contains("* 2 EXPUNGE") && System.nanoTime() < deadline) {
                c.send("d NOOP");
                noop = untilTagged(c, "d");
                Thread.sleep(noop.size() > 1 ? 0 : 50);
            }
            assertEquals(List.of("* 2 EXPUNGE", "d OK NOOP completed"), noop);
            c.send("e FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            String fetched = String.join("\n", untilTagged(c, "e"));
            assertTrue(fetched.contains("Subject: m1") && fetched.contains("Subject: m3") && !fetched.contains("Subject: m2"),
                    fetched);

            c.send("f STORE 1 +FLAGS.SILENT (\\Deleted)");
            untilTagged(c, "f");
            c.send("g EXPUNGE");
            assertEquals(List.of("* 1 EXPUNGE", "g OK EXPUNGE completed"), untilTagged(c, "g"));
        }
        try (LineClient p = new LineClient(pop3.tlsPort(), true)) {
            p.readLine();
            pop3(p, "USER " + user);
            assertTrue(pop3(p, "PASS secret").startsWith("+OK maildrop has 1 message"));
            p.send("TOP 1 0");
            List<String> top = new ArrayList<>();
            String line;
            while (!(line = p.readLine()).equals(".")) {
                top.add(line);
            }
            assertTrue(top.contains("Subject: m3"), top.toString());
            pop3(p, "QUIT");
        }
    }
}
