package org.mailroom.mailbox.imap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.Fixtures;
import org.mailroom.mailbox.LineClient;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * Two mailbox-service instances on the same database and broker: this test's instance (A) and a
 * second one started from the packaged application (B). IDLE (RFC 2177): a session idling on B is
 * told of a message appended through A, and of A's flag changes and expunges, within 2 seconds.
 * POP3 (RFC 1939 §4): a maildrop opened on A is in use on B until A's session ends.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class TwoInstancesIT {

    private static Process second;
    private static int secondImap;
    private static int secondPop3;
    private static Path secondLog;

    @Inject
    Directory directory;

    @Inject
    ImapServer server;

    @Inject
    org.mailroom.mailbox.pop3.net.Pop3Server pop3;

    @BeforeAll
    static void startSecondInstance() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "the packaged application is built before integration tests: " + jar);
        Config config = ConfigProvider.getConfig();
        int http = freePort();
        secondImap = freePort();
        secondLog = Files.createTempFile("mailbox-b", ".log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(secondLog.toFile());
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.getValue("kafka.bootstrap.servers", String.class));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", config.getValue("quarkus.datasource.jdbc.url", String.class));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", config.getValue("quarkus.datasource.reactive.url", String.class));
        env.put("QUARKUS_DATASOURCE_USERNAME", config.getValue("quarkus.datasource.username", String.class));
        env.put("QUARKUS_DATASOURCE_PASSWORD", config.getValue("quarkus.datasource.password", String.class));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("MAILBOX_IMAP_HOST", "127.0.0.1");
        env.put("MAILBOX_IMAP_PORT", Integer.toString(secondImap));
        env.put("MAILBOX_IMAP_ALLOW_PLAINTEXT_AUTH", "true");
        env.put("MAILBOX_POP3_HOST", "127.0.0.1");
        secondPop3 = freePort();
        env.put("MAILBOX_POP3_PORT", Integer.toString(secondPop3));
        env.put("MAILBOX_POP3_ALLOW_PLAINTEXT_AUTH", "true");
        env.put("MP_MESSAGING_INCOMING_LOCAL_GROUP_ID", config.getValue("mp.messaging.incoming.local.group.id", String.class));
        second = pb.start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertTrue(second.isAlive(), () -> "instance B exited: " + tail());
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, () -> "instance B not ready in 120 s: " + tail());
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopSecondInstance() throws Exception {
        if (second != null) {
            second.destroy();
            if (!second.waitFor(20, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    private static String tail() {
        try {
            String log = Files.readString(secondLog);
            return log.substring(Math.max(0, log.length() - 3000));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void changesThroughOneInstanceReachAnIdleSessionOnTheOther() throws Exception {
        String user = "idle@imap.test";
        Fixtures.account(directory, user, "secret", 0);
        Fixtures.deliver(user, "Subject: one\r\n\r\n1\r\n");
        awaitAccountOnSecond(user);
        try (LineClient b = new LineClient(secondImap, false); LineClient a = new LineClient(server.tlsPort(), true)) {
            b.readLine();
            b.send("b1 LOGIN " + user + " secret");
            assertTrue(b.readLine().startsWith("b1 OK"));
            b.send("b2 SELECT INBOX");
            String line;
            while (!(line = b.readLine()).startsWith("b2 ")) {
                // the SELECT's untagged data
            }
            assertTrue(line.startsWith("b2 OK"), line);
            b.send("b3 IDLE");
            assertEquals("+ idling", b.readLine());

            a.readLine();
            a.send("a1 LOGIN " + user + " secret");
            assertTrue(a.readLine().startsWith("a1 OK"));
            a.send("a2 APPEND INBOX {17+}\r\nSubject: two\r\n\r\n2");
            assertTrue(a.readLine().startsWith("a2 OK [APPENDUID "));
            assertEquals("* 2 EXISTS", within(b, Duration.ofSeconds(2)));
            assertEquals("* 2 RECENT", b.readLine());

            a.send("a3 SELECT INBOX");
            while (!a.readLine().startsWith("a3 ")) {
                // the SELECT's untagged data
            }
            a.send("a4 STORE 1 +FLAGS.SILENT (\\Deleted \\Seen)");
            assertEquals("a4 OK STORE completed", a.readLine());
            assertEquals("* 1 FETCH (UID 1 FLAGS (\\Seen \\Deleted \\Recent))", within(b, Duration.ofSeconds(2)));
            a.send("a5 EXPUNGE");
            assertEquals("* 1 EXPUNGE", a.readLine());
            assertEquals("a5 OK EXPUNGE completed", a.readLine());
            assertEquals("* 1 EXPUNGE", within(b, Duration.ofSeconds(2)));

            // mail that arrives from the broker is announced too, whichever instance stored it
            Fixtures.deliver(user, "Subject: three\r\n\r\n3\r\n");
            assertEquals("* 2 EXISTS", within(b, Duration.ofSeconds(2)));
            b.readLine(); // RECENT
            b.send("DONE");
            assertEquals("b3 OK IDLE terminated", b.readLine());
            b.send("b4 UID SEARCH ALL");
            assertEquals("* SEARCH 2 3", b.readLine());
        }
    }

    @Test
    void aMaildropOpenedOverPop3OnOneInstanceIsInUseOnTheOther() throws Exception {
        String user = "pop3lock@imap.test";
        Fixtures.account(directory, user, "secret", 0);
        awaitAccountOnSecond(user);
        try (LineClient a = new LineClient(pop3.tlsPort(), true)) {
            a.readLine();
            a.send("USER " + user);
            a.readLine();
            a.send("PASS secret");
            assertEquals("+OK maildrop has 0 messages (0 octets)", a.readLine());
            try (LineClient b = new LineClient(secondPop3, false)) {
                b.readLine();
                b.send("USER " + user);
                b.readLine();
                b.send("PASS secret");
                assertEquals("-ERR [IN-USE] maildrop already locked by another session", b.readLine());
            }
            a.send("QUIT");
            assertTrue(a.readLine().startsWith("+OK"));
        }
        // QUIT released the lock (the DELETE does not hold up the reply: asked again, bounded)
        String reply = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (LineClient b = new LineClient(secondPop3, false)) {
                b.readLine();
                b.send("USER " + user);
                b.readLine();
                b.send("PASS secret");
                reply = b.readLine();
                if (reply.startsWith("+OK maildrop")) {
                    b.send("QUIT");
                    b.readLine();
                    break;
                }
            }
            assertTrue(reply.contains("[IN-USE]"), reply);
        }
        assertTrue(reply != null && reply.startsWith("+OK maildrop"), reply);
    }

    /** B reads the directory on its own; its login works once it has caught up. */
    private void awaitAccountOnSecond(String user) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (LineClient b = new LineClient(secondImap, false)) {
                b.readLine();
                b.send("x LOGIN " + user + " secret");
                if (b.readLine().startsWith("x OK")) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "instance B never learned the account");
            Thread.sleep(200);
        }
    }

    /** The next line, which must come within {@code limit}. */
    private static String within(LineClient client, Duration limit) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return client.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return line.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
}
