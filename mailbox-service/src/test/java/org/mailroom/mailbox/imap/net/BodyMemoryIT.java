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
import org.mailroom.mailbox.store.BodyMemory;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * Clients that ask for big messages and do not read them cannot make the server hold more than
 * its body memory (32 MiB in tests): the ones beyond it wait, and are told {@code NO [UNAVAILABLE]}
 * or {@code -ERR [SYS/TEMP]} when the wait runs out; when the slow ones leave, everything they held
 * is given back and a reader that reads gets every octet.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class BodyMemoryIT {

    private static final int SIZE = 8 * 1024 * 1024;

    @Inject
    Directory directory;

    @Inject
    ImapServer imap;

    @Inject
    Pop3Server pop3;

    @Inject
    BodyMemory memory;

    private static String body(int m) {
        StringBuilder b = new StringBuilder("Subject: big " + m + "\r\n\r\n");
        while (b.length() < SIZE) {
            b.append(Integer.toString(m % 10).repeat(76)).append("\r\n");
        }
        return b.toString();
    }

    /** A message without an empty line: all of it is header section (RFC 5322 §3.5 allows no body). */
    private static String allHeader(int m) {
        StringBuilder b = new StringBuilder("Subject: big " + m + "\r\n");
        while (b.length() < SIZE) {
            b.append("X-Filler: ").append(Integer.toString(m % 10).repeat(66)).append("\r\n");
        }
        return b.toString();
    }

    private static void login(LineClient c, String user) throws Exception {
        c.readLine();
        c.send("a LOGIN " + user + " secret");
        assertTrue(c.readLine().startsWith("a OK"));
    }

    @Test
    void slowReadersOfBigMessagesAreBoundedByTheBudgetAndGiveItBackWhenTheyLeave() throws Exception {
        slowReaders("slow@imap.test", BodyMemoryIT::body, "BODY.PEEK[]", "BODY[]");
    }

    @Test
    void slowReadersOfBigHeaderSectionsAreBoundedToo() throws Exception {
        slowReaders("slowheader@imap.test", BodyMemoryIT::allHeader, "BODY.PEEK[HEADER]", "BODY[HEADER]");
    }

    private void slowReaders(String user, java.util.function.IntFunction<String> message, String fetchItem,
            String responseItem) throws Exception {
        Fixtures.account(directory, user, "secret", 0);
        try (LineClient c = new LineClient(imap.tlsPort(), true)) {
            login(c, user);
            for (int m = 0; m < 2; m++) {
                String b = message.apply(m);
                c.sendRaw("b APPEND INBOX {" + b.length() + "+}\r\n" + b + "\r\n");
                assertTrue(c.readLine().startsWith("b OK [APPENDUID "));
            }
        }
        assertEquals(memory.capacity(), memory.available());
        List<LineClient> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                LineClient s = new LineClient(imap.tlsPort(), true, 4096);
                login(s, user);
                s.send("c EXAMINE INBOX");
                while (!s.readLine().startsWith("c ")) {
                    // EXAMINE data
                }
                s.send("d FETCH 1:2 " + fetchItem); // and never read the answer
                slow.add(s);
            }
            // each 8 MiB message alone holds 24 MiB of the 32: one slow reader at a time, the others wait
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (memory.waiting() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, memory.waiting(), "two wait behind the one holding the budget");
            assertTrue(memory.available() >= 0 && memory.available() < 24L << 20);
            // POP3 meets the same budget: its wait runs out (5 s in tests) and it is told to come back
            try (LineClient p = new LineClient(pop3.tlsPort(), true)) {
                p.readLine();
                p.send("USER " + user);
                p.readLine();
                p.send("PASS secret");
                assertTrue(p.readLine().startsWith("+OK maildrop has 2 messages"));
                p.send("RETR 1");
                assertEquals("-ERR [SYS/TEMP] temporary server failure, try again later", p.readLine());
            }
        } finally {
            for (LineClient s : slow) {
                s.close();
            }
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (memory.available() != memory.capacity() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(memory.capacity(), memory.available(), "everything the slow readers held was given back");
        assertEquals(0, memory.waiting());
        try (LineClient c = new LineClient(imap.tlsPort(), true)) {
            login(c, user);
            c.send("e EXAMINE INBOX");
            while (!c.readLine().startsWith("e ")) {
                // EXAMINE data
            }
            c.send("f FETCH 1:2 " + fetchItem);
            for (int m = 0; m < 2; m++) {
                String expected = message.apply(m);
                assertEquals("* " + (m + 1) + " FETCH (" + responseItem + " {" + expected.length() + "}", c.readLine());
                StringBuilder got = new StringBuilder();
                while (got.length() < expected.length()) {
                    got.append(c.readLine()).append("\r\n");
                }
                assertEquals(expected, got.toString());
                assertEquals(")", c.readLine());
            }
            assertEquals("f OK FETCH completed", c.readLine());
        }
        assertEquals(memory.capacity(), memory.available());
    }
}
