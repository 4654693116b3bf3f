package org.mailroom.mailbox.pop3.net;

import org.mailroom.mailbox.LineClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailroom.mailbox.Fixtures;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * Scripted POP3 conversations (src/test/resources/conversations/*.pop3) against the real
 * listeners. Script lines: {@code C: text} sent; {@code S: text} expected literally;
 * {@code S~: regex} expected to match; {@code TLS} starts the client's handshake (after STLS);
 * {@code RECONNECT} opens a new connection on the same listener; {@code LISTENER pop3s} (first
 * line) uses the implicit-TLS port; {@code #} comments. {@code ${user}}, {@code ${uidvalidity}} and
 * {@code ${plain}} (the AUTH PLAIN response) are replaced. Each script gets its own account (password "secret") holding {@link #FIRST} and
 * {@link #SECOND}.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class Pop3ConversationIT {

    static final String FIRST = "Subject: first\r\n\r\nHello\r\n";
    static final String SECOND = "Subject: second\r\n\r\n.leading dot\r\nline 2\r\n";
    static final List<String> SCRIPTS = List.of("capa-stls-retrieve", "dele-rset-update", "auth-plain-and-failures",
            "errors-and-top");

    @Inject
    Directory directory;

    @Inject
    Pop3Server server;

    static Stream<String> scripts() {
        return SCRIPTS.stream();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void conversation(String name) throws Exception {
        String user = name + "@pop3.test";
        Fixtures.account(directory, user, "secret", 0);
        Fixtures.deliver(user, FIRST);
        Fixtures.deliver(user, SECOND);
        String uidValidity = Fixtures.query("SELECT uid_validity FROM mailbox.mailboxes WHERE account = ? AND name = 'INBOX'", user);
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/conversations/" + name + ".pop3")) {
            assertNotNull(in, name);
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        boolean implicit = !lines.isEmpty() && lines.get(0).equals("LISTENER pop3s");
        int port = implicit ? server.tlsPort() : server.port();
        LineClient client = new LineClient(port, implicit);
        try {
            int n = 0;
            for (String raw : lines) {
                n++;
                String line = raw.replace("${user}", user).replace("${uidvalidity}", uidValidity).replace("${plain}",
                        Base64.getEncoder().encodeToString(("\0" + user + "\0secret").getBytes(StandardCharsets.UTF_8)));
                String where = name + ".pop3:" + n;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("LISTENER")) {
                    continue;
                } else if (line.equals("TLS")) {
                    client.startTls();
                } else if (line.equals("RECONNECT")) {
                    client.close();
                    client = new LineClient(port, implicit);
                } else if (line.startsWith("C: ")) {
                    client.send(line.substring(3));
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

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        String user = "pipelining@pop3.test";
        Fixtures.account(directory, user, "secret", 0);
        Fixtures.deliver(user, FIRST);
        try (LineClient c = new LineClient(server.tlsPort(), true)) {
            assertTrue(c.readLine().startsWith("+OK"));
            assertTrue(c.protocol().equals("TLSv1.3") || c.protocol().equals("TLSv1.2"), c.protocol());
            c.sendRaw("USER " + user + "\r\nPASS secret\r\nSTAT\r\nNOOP\r\nUIDL 1\r\nQUIT\r\n");
            assertEquals("+OK send PASS", c.readLine());
            assertTrue(c.readLine().startsWith("+OK maildrop has 1 messages"));
            assertTrue(c.readLine().startsWith("+OK 1 "));
            assertEquals("+OK", c.readLine());
            assertTrue(c.readLine().startsWith("+OK 1 "));
            assertTrue(c.readLine().startsWith("+OK"));
            assertNull(c.readLine(), "closed after QUIT");
        }
    }

    @Test
    void aSecondSessionFindsTheMaildropInUseUntilTheFirstEnds() throws Exception {
        String user = "inuse@pop3.test";
        Fixtures.account(directory, user, "secret", 0);
        try (LineClient first = new LineClient(server.tlsPort(), true)) {
            first.readLine();
            first.send("USER " + user);
            first.readLine();
            first.send("PASS secret");
            assertEquals("+OK maildrop has 0 messages (0 octets)", first.readLine());
            try (LineClient second = new LineClient(server.tlsPort(), true)) {
                second.readLine();
                second.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + user + "\0secret").getBytes(StandardCharsets.UTF_8)));
                assertEquals("-ERR [IN-USE] maildrop already locked by another session", second.readLine());
            }
        }
        // the first connection dropped without QUIT: the lock goes with it, as soon as the server
        // has seen the close (waited for, not slept on)
        String reply = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (LineClient third = new LineClient(server.tlsPort(), true)) {
                third.readLine();
                third.send("USER " + user);
                third.readLine();
                third.send("PASS secret");
                reply = third.readLine();
            }
            if (reply.startsWith("+OK maildrop")) {
                break;
            }
            assertTrue(reply.contains("[IN-USE]"), reply);
        }
        assertTrue(reply.startsWith("+OK maildrop"), reply);
    }

    @Test
    void repeatedFailuresAreAnsweredSlowerAndSlowerPerIpAndPerAccount() throws Exception {
        // a first failure elsewhere warms the password hashing, whose time adds to every answer
        try (LineClient c = new LineClient(server.tlsPort(), true, "127.0.0.40")) {
            c.readLine();
            failedLogin(c, "warmup@pop3.test");
        }
        // per IP: four different unknown accounts from one fresh loopback address
        List<Long> perIp = new ArrayList<>();
        try (LineClient c = new LineClient(server.tlsPort(), true, "127.0.0.23")) {
            c.readLine();
            for (int i = 0; i < 4; i++) {
                perIp.add(failedLogin(c, "nobody" + i + "@pop3.test"));
            }
        }
        // per account: one account, each attempt from an address of its own
        List<Long> perAccount = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (LineClient c = new LineClient(server.tlsPort(), true, "127.0.0." + (30 + i))) {
                c.readLine();
                perAccount.add(failedLogin(c, "victim@pop3.test"));
            }
        }
        // test profile: 50 ms doubling, capped at 200 ms; each answer also waits for a hash check
        for (List<Long> millis : List.of(perIp, perAccount)) {
            assertTrue(millis.get(0) >= 45, millis.toString());
            assertTrue(millis.get(1) >= 95, millis.toString());
            // 50, 100, 200, 200 ms plus a hash each time: the last two exceed the first by about 150
            assertTrue((millis.get(2) + millis.get(3)) / 2 - millis.get(0) >= 100, "the delay grows: " + millis);
            assertTrue(millis.get(3) >= 190, millis.toString());
        }
    }

    private static long failedLogin(LineClient c, String user) throws Exception {
        c.send("USER " + user);
        c.readLine();
        long start = System.nanoTime();
        c.send("PASS wrong");
        assertEquals("-ERR [AUTH] authentication failed", c.readLine());
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void overlongLinesAreRefusedAndTheSessionGoesOn() throws Exception {
        try (LineClient c = new LineClient(server.port(), false)) {
            c.readLine();
            c.send("NOOP " + "x".repeat(9000));
            assertEquals("-ERR line too long", c.readLine());
            c.send("CAPA");
            assertEquals("+OK capability list follows", c.readLine());
            String line;
            List<String> caps = new ArrayList<>();
            while (!(line = c.readLine()).equals(".")) {
                caps.add(line.toUpperCase(Locale.ROOT));
            }
            assertTrue(caps.contains("STLS") && caps.contains("UIDL") && caps.contains("TOP") && caps.contains("RESP-CODES"), caps.toString());
        }
    }

    @Test
    void metricsCountStorageSessionsCommandsAndFailures() throws Exception {
        String user = "metrics@pop3.test";
        Fixtures.account(directory, user, "secret", 0);
        Fixtures.deliver(user, FIRST);
        try (LineClient c = new LineClient(server.tlsPort(), true)) {
            c.readLine();
            c.send("USER " + user);
            c.readLine();
            c.send("PASS wrong");
            assertEquals("-ERR [AUTH] authentication failed", c.readLine());
            c.send("QUIT");
            c.readLine();
        }
        String metrics = io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        for (String name : List.of("mailbox_messages_stored_total", "mailbox_bytes_stored_total",
                "mailbox_store_batch_seconds_count", "mailbox_duplicates_skipped_total", "mailbox_quota_rejected_total",
                "pop3_sessions_total{listener=\"pop3s\"}", "pop3_sessions_active",
                "pop3_commands_total{command=\"PASS\",status=\"err\"}", "mailbox_auth_failures_total{protocol=\"pop3\"}",
                "mailbox_directory_lag", "kafka_consumer_fetch_manager_records_lag")) {
            assertTrue(metrics.contains(name), name + " missing from /q/metrics");
        }
    }
}
