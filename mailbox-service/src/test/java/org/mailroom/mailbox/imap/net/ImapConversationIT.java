package org.mailroom.mailbox.imap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailroom.mailbox.Fixtures;
import org.mailroom.mailbox.LineClient;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * Scripted IMAP conversations (src/test/resources/conversations/*.imap) against the real listeners
 * and the real store. Script lines: {@code C: text} sent (CRLF added; {@code \r\n} inside is sent
 * as CRLF, for literals); {@code S: text} expected literally; {@code S~: regex} expected to match;
 * {@code TLS} starts the client's handshake (after STARTTLS); {@code RECONNECT} opens a new
 * connection; {@code LISTENER imaps} (first line) uses the implicit-TLS port; {@code #} comments.
 * {@code ${user}}, {@code ${uidvalidity}} (of INBOX) and {@code ${plain}} (the AUTHENTICATE PLAIN
 * response) are replaced. Each script gets its own account (password "secret") whose INBOX holds
 * {@link #FIRST} and {@link #SECOND}, each stored with a Return-Path line before it.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class ImapConversationIT {

    static final String FIRST = "From: Alice <alice@remote.test>\r\nTo: bob@imap.test\r\nSubject: first\r\n"
            + "Date: Thu, 03 Dec 2026 10:00:00 +0100\r\nMessage-ID: <first@remote.test>\r\n\r\nHello\r\n";
    static final String SECOND = "From: carol@remote.test\r\nTo: bob@imap.test\r\nSubject: second\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\npart one\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>two</p>\r\n--b--\r\n";
    static final List<String> SCRIPTS = List.of("starttls-login", "select-fetch", "store-search-expunge",
            "mailboxes", "copy-move", "errors-and-extensions", "search-keys", "more-commands");

    @Inject
    Directory directory;

    @Inject
    ImapServer server;

    static Stream<String> scripts() {
        return SCRIPTS.stream();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void conversation(String name) throws Exception {
        String user = name + "@imap.test";
        Fixtures.account(directory, user, "secret", 0);
        Fixtures.deliver(user, FIRST);
        Fixtures.deliver(user, SECOND);
        String uidValidity = Fixtures.query("SELECT uid_validity FROM mailbox.mailboxes WHERE account = ? AND name = 'INBOX'", user);
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/conversations/" + name + ".imap")) {
            assertNotNull(in, name);
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        boolean implicit = !lines.isEmpty() && lines.get(0).equals("LISTENER imaps");
        int port = implicit ? server.tlsPort() : server.port();
        LineClient client = new LineClient(port, implicit);
        try {
            int n = 0;
            for (String raw : lines) {
                n++;
                String line = raw.replace("${user}", user).replace("${uidvalidity}", uidValidity).replace("${plain}",
                        Base64.getEncoder().encodeToString(("\0" + user + "\0secret").getBytes(StandardCharsets.UTF_8)));
                String where = name + ".imap:" + n;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("LISTENER")) {
                    continue;
                } else if (line.equals("TLS")) {
                    client.startTls();
                } else if (line.equals("RECONNECT")) {
                    client.close();
                    client = new LineClient(port, implicit);
                } else if (line.startsWith("C: ")) {
                    client.sendRaw(line.substring(3).replace("\\r\\n", "\r\n") + "\r\n");
                } else if (line.startsWith("S: ")) {
                    assertEquals(line.substring(3), client.readLine(), where);
                } else if (line.startsWith("S~: ")) {
                    String got = client.readLine();
                    assertTrue(got != null && Pattern.compile(line.substring(4)).matcher(got).matches(),
                            where + ": expected /" + line.substring(4) + "/, got " + got);
                } else {
                    fail(where + ": bad script line " + raw);
                }
            }
        } finally {
            client.close();
        }
    }

    /**
     * Whole bodies are read at most 4 MiB at a time (ChunkedRows): three 2 MiB messages take two
     * reads, and every octet still arrives, in order.
     */
    @org.junit.jupiter.api.Test
    void largeBodiesAreFetchedWholeInBoundedReads() throws Exception {
        String user = "large@imap.test";
        Fixtures.account(directory, user, "secret", 0);
        try (LineClient c = new LineClient(server.tlsPort(), true)) {
            c.readLine();
            c.send("a1 LOGIN " + user + " secret");
            assertTrue(c.readLine().startsWith("a1 OK"));
            c.send("a0 CREATE Big");
            assertEquals("a0 OK CREATE completed", c.readLine());
            List<String> bodies = new java.util.ArrayList<>();
            for (int m = 0; m < 3; m++) {
                StringBuilder b = new StringBuilder("Subject: big " + m + "\r\n\r\n");
                while (b.length() < 2 * 1024 * 1024) {
                    b.append(Integer.toString(m).repeat(76)).append("\r\n");
                }
                bodies.add(b.toString());
                c.sendRaw("a2 APPEND Big {" + b.length() + "+}\r\n" + b + "\r\n");
                assertTrue(c.readLine().startsWith("a2 OK [APPENDUID "));
            }
            c.send("a3 SELECT Big");
            String line;
            while (!(line = c.readLine()).startsWith("a3 ")) {
                // untagged SELECT data
            }
            c.send("a4 FETCH 1:3 BODY.PEEK[]");
            for (int m = 0; m < 3; m++) {
                String head = c.readLine();
                String size = "{" + bodies.get(m).length() + "}";
                assertEquals("* " + (m + 1) + " FETCH (BODY[] " + size, head);
                StringBuilder got = new StringBuilder();
                while (got.length() < bodies.get(m).length()) {
                    got.append(c.readLine()).append("\r\n");
                }
                assertEquals(bodies.get(m), got.toString(), "message " + (m + 1));
                assertEquals(")", c.readLine());
            }
            assertEquals("a4 OK FETCH completed", c.readLine());
        }
    }
}
