package org.mailroom.mailbox.imap.session;

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
import org.mailroom.mailbox.imap.net.ImapServer;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * A change to more messages than one statement or one page holds: STORE in groups of
 * {@code STORE_CHUNK} messages, another session told of it in pages of {@code CHANGES_PAGE} rows,
 * each told in full and in order (RFC 3501 §7.4.2 FETCH, §7.4.1 EXPUNGE), and FETCH of the whole
 * mailbox in many chunks.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class LargeChangesIT {

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

    @Test
    void changesToThousandsOfMessagesAreToldInFull() throws Exception {
        int n = Math.max(SelectedCommands.STORE_CHUNK, SelectedCommands.CHANGES_PAGE) * 2 + 101;
        String user = "large@imap.test";
        Fixtures.account(directory, user, "secret", 0);
        try (LineClient a = new LineClient(imap.tlsPort(), true); LineClient b = new LineClient(imap.tlsPort(), true)) {
            for (LineClient c : List.of(a, b)) {
                c.readLine();
                assertTrue(command(c, "l", "LOGIN " + user + " secret").get(0).startsWith("l OK"));
            }
            StringBuilder batch = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                String m = "Subject: m" + i + "\r\n\r\nbody\r\n";
                batch.append("p").append(i).append(" APPEND INBOX {").append(m.length()).append("+}\r\n").append(m).append("\r\n");
            }
            a.sendRaw(batch.toString());
            for (int i = 1; i <= n; i++) {
                String reply = a.readLine();
                assertTrue(reply.startsWith("p" + i + " OK [APPENDUID "), reply);
            }
            assertTrue(command(a, "s", "SELECT INBOX").contains("* " + n + " EXISTS"));
            assertTrue(command(b, "s", "SELECT INBOX").contains("* " + n + " EXISTS"));

            List<String> stored = command(a, "t", "STORE 1:* +FLAGS (\\Flagged)");
            assertEquals(n + 1, stored.size(), "one FETCH per message, then the tagged OK");
            for (int i = 1; i <= n; i++) {
                assertEquals("* " + i + " FETCH (FLAGS (\\Flagged \\Recent))", stored.get(i - 1));
            }

            List<String> told = new ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (told.size() < n && System.nanoTime() < deadline) {
                List<String> lines = command(b, "n", "NOOP");
                told.addAll(lines.subList(0, lines.size() - 1));
            }
            assertEquals(n, told.size(), "B is told of every flag change");
            for (int i = 1; i <= n; i++) {
                assertEquals("* " + i + " FETCH (UID " + i + " FLAGS (\\Flagged))", told.get(i - 1));
            }

            command(a, "d", "STORE 2:* +FLAGS.SILENT (\\Deleted)");
            assertEquals(List.of("e OK EXPUNGE completed"), command(a, "e", "EXPUNGE").subList(n - 1, n));
            List<String> gone = new ArrayList<>();
            deadline = System.nanoTime() + 10_000_000_000L;
            while (gone.size() < n - 1 && System.nanoTime() < deadline) {
                List<String> lines = command(b, "x", "NOOP");
                gone.addAll(lines.subList(0, lines.size() - 1));
            }
            assertEquals(n - 1, gone.size());
            assertTrue(gone.stream().allMatch("* 2 EXPUNGE"::equals), "each expunge renumbers the rest");
            assertEquals(List.of("* 1 FETCH (FLAGS (\\Flagged))", "f OK FETCH completed"), command(b, "f", "FETCH 1:* FLAGS"));
        }
    }

    /**
     * More new messages than a page, the first of them changed again after the rest arrived (so it
     * comes last in modseq order): the watching session is still told of every one, in UID order.
     */
    @Test
    void newMailIsToldInFullWhateverChangedLast() throws Exception {
        int n = SelectedCommands.CHANGES_PAGE + 101;
        String user = "newmail@imap.test";
        Fixtures.account(directory, user, "secret", 0);
        try (LineClient a = new LineClient(imap.tlsPort(), true); LineClient b = new LineClient(imap.tlsPort(), true)) {
            for (LineClient c : List.of(a, b)) {
                c.readLine();
                assertTrue(command(c, "l", "LOGIN " + user + " secret").get(0).startsWith("l OK"));
            }
            assertTrue(command(b, "s", "SELECT INBOX").contains("* 0 EXISTS"));
            StringBuilder batch = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                String m = "Subject: n" + i + "\r\n\r\nbody\r\n";
                batch.append("p").append(i).append(" APPEND INBOX {").append(m.length()).append("+}\r\n").append(m).append("\r\n");
            }
            a.sendRaw(batch.toString());
            for (int i = 1; i <= n; i++) {
                assertTrue(a.readLine().startsWith("p" + i + " OK"));
            }
            command(a, "s", "SELECT INBOX");
            command(a, "t", "STORE 1 +FLAGS.SILENT (\\Seen)"); // UID 1 now has the highest modseq
            List<String> told = new ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!told.contains("* " + n + " EXISTS") && System.nanoTime() < deadline) {
                List<String> lines = command(b, "n", "NOOP");
                told.addAll(lines.subList(0, lines.size() - 1));
            }
            assertTrue(told.contains("* " + n + " EXISTS"), told.toString());
            List<String> fetched = command(b, "f", "FETCH 1:* (UID)");
            assertEquals(n + 1, fetched.size());
            assertEquals("* 1 FETCH (UID 1)", fetched.get(0));
            assertEquals("* " + n + " FETCH (UID " + n + ")", fetched.get(n - 1));
        }
    }
}
