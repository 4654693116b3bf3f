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
import org.mailroom.testsupport.MailroomTestResources;

/**
 * \Recent (RFC 3501 §2.3.2): "this session is the first session to have been notified about this
 * message; if the session is read-write, subsequent sessions will not see \Recent set". With two
 * sessions on one INBOX, new mail is recent to the one that hears of it first, never to both;
 * a read-only session sees as recent what no read-write session has claimed.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class RecentIT {

    @Inject
    Directory directory;

    @Inject
    ImapServer imap;

    private static List<String> command(LineClient c, String tag, String command) throws Exception {
        c.send(tag + " " + command);
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = c.readLine();
            lines.add(line);
        } while (!line.startsWith(tag + " "));
        return lines;
    }

    private static LineClient login(String user) throws Exception {
        LineClient c = new LineClient(imapPort, true);
        c.readLine();
        assertTrue(command(c, "l", "LOGIN " + user + " secret").get(0).startsWith("l OK"));
        return c;
    }

    private static int imapPort;

    /** NOOPs until the session is told of {@code exists} messages; answers what it was told. */
    private static List<String> awaitExists(LineClient c, int exists) throws Exception {
        List<String> told = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!told.contains("* " + exists + " EXISTS") && System.nanoTime() < deadline) {
            List<String> lines = command(c, "n", "NOOP");
            told.addAll(lines.subList(0, lines.size() - 1));
            Thread.sleep(lines.size() > 1 ? 0 : 50);
        }
        assertTrue(told.contains("* " + exists + " EXISTS"), told.toString());
        return told;
    }

    @Test
    void newMailIsRecentToOneSessionOnly() throws Exception {
        imapPort = imap.tlsPort();
        String user = "recent@imap.test";
        Fixtures.account(directory, user, "secret", 0);
        Fixtures.deliver(user, "Subject: old\r\n\r\nold\r\n");
        try (LineClient a = login(user); LineClient b = login(user)) {
            assertTrue(command(a, "s", "SELECT INBOX").contains("* 1 RECENT"), "the first SELECT claims it");
            assertTrue(command(b, "s", "SELECT INBOX").contains("* 0 RECENT"), "the second finds it claimed");

            Fixtures.deliver(user, "Subject: new\r\n\r\nnew\r\n");
            List<String> toldA = awaitExists(a, 2);
            assertTrue(toldA.contains("* 2 RECENT"), "A heard first and claims it: " + toldA);
            List<String> toldB = awaitExists(b, 2);
            assertTrue(toldB.stream().noneMatch(l -> l.endsWith(" RECENT") && !l.equals("* 0 RECENT")), toldB.toString());
            assertEquals("* 2 FETCH (FLAGS (\\Recent))", command(a, "f", "FETCH 2 FLAGS").get(0));
            assertEquals("* 2 FETCH (FLAGS ())", command(b, "f", "FETCH 2 FLAGS").get(0));
            assertEquals("* SEARCH 1 2", command(a, "r", "SEARCH RECENT").get(0));
            assertEquals("* SEARCH", command(b, "r", "SEARCH RECENT").get(0));
            assertEquals("* SEARCH 1 2", command(b, "o", "SEARCH OLD").get(0));

            try (LineClient c = login(user)) { // read-only: recent what no one claimed; claims nothing
                command(c, "e", "EXAMINE INBOX");
                Fixtures.deliver(user, "Subject: third\r\n\r\nthird\r\n");
                List<String> toldC = awaitExists(c, 3);
                assertTrue(toldC.contains("* 1 RECENT"), "unclaimed when C looked: " + toldC);
                List<String> toldB2 = awaitExists(b, 3);
                assertTrue(toldB2.contains("* 1 RECENT"), "B, read-write, claims it after C saw it: " + toldB2);
                assertEquals("* SEARCH 3", command(b, "r", "SEARCH RECENT").get(0));
                List<String> toldA2 = awaitExists(a, 3);
                assertTrue(toldA2.stream().noneMatch(l -> l.equals("* 3 RECENT")), toldA2.toString());
                assertEquals("* SEARCH 1 2", command(a, "r", "SEARCH RECENT").get(0));
            }
        }
    }
}
