package org.mailroom.ingress.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailroom.core.Topics;
import org.mailroom.core.event.EventCodec;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.ingress.directory.DirectoryLoader;
import org.mailroom.ingress.session.Listener;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;
import org.mailroom.testsupport.TopicReader;

/**
 * Real clients from Debian's packages (Python's smtplib, swaks, curl, msmtp) against the real
 * listeners; each message is read back from mail.inbound and compared byte for byte (after the
 * Received header the server prepends).
 */
@QuarkusTest
@WithTestResource(value = MailroomTestResources.class, initArgs = @ResourceArg(name = "database", value = "false"))
class RealClientsIT {

    @Inject
    SmtpServer server;

    @Inject
    DirectoryLoader directory;

    @BeforeEach
    void directory() {
        TestDirectory.ensure(directory);
    }

    static byte[] message(String subject) {
        return ("From: Bob <bob@example.net>\r\nTo: alice@example.test\r\nDate: Thu, 03 Dec 2026 17:00:00 +0000\r\n"
                + "Message-ID: <" + subject.replace(" ", ".") + "@example.net>\r\nSubject: " + subject
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Hello \u00e9\u00e8 from " + subject + ".\r\n.leading dot survives\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pythonSmtplibOnMx() throws Exception {
        byte[] msg = message("smtplib mx");
        InboundMessage in = sendAndRead(msg, List.of("python3", script(), "127.0.0.1", port(Listener.MX), "plain",
                "bob@example.net", "alice@example.test", file(msg)));
        assertEquals("mx", in.envelope().listener());
        assertEquals(null, in.envelope().authUser());
    }

    @Test
    void pythonSmtplibSubmissionWithStartTlsAndAuth() throws Exception {
        byte[] msg = message("smtplib submission");
        InboundMessage in = sendAndRead(msg, List.of("python3", script(), "127.0.0.1", port(Listener.SUBMISSION),
                "starttls", "alice@example.test", "friend@remote.example", file(msg), "alice@example.test",
                TestDirectory.ALICE_PASSWORD));
        assertEquals("alice@example.test", in.envelope().authUser());
        assertNotNull(in.envelope().tls());
        assertTrue(new String(in.message(), StandardCharsets.UTF_8).contains(" with ESMTPSA id "));
    }

    @Test
    void pythonSmtplibSubmissionsImplicitTls() throws Exception {
        byte[] msg = message("smtplib submissions");
        InboundMessage in = sendAndRead(msg, List.of("python3", script(), "127.0.0.1", port(Listener.SUBMISSIONS),
                "ssl", "alice@example.test", "alice@example.test", file(msg), "alice@example.test",
                TestDirectory.ALICE_PASSWORD));
        assertEquals("submissions", in.envelope().listener());
        assertTrue(in.envelope().tls().protocol().startsWith("TLSv1."));
    }

    @Test
    void swaks() throws Exception {
        byte[] msg = message("swaks");
        // swaks ends the data it sends with one more CRLF: that is what the server must keep.
        sendAndRead(withCrlf(msg), List.of("swaks", "--server", "127.0.0.1", "--port", port(Listener.MX), "--from",
                "bob@example.net", "--to", "alice@example.test", "--data", "@" + file(msg), "--silent", "2"));
    }

    @Test
    void swaksSubmissionWithTlsAndAuthLogin() throws Exception {
        byte[] msg = message("swaks submission");
        InboundMessage in = sendAndRead(withCrlf(msg), List.of("swaks", "--server", "127.0.0.1", "--port", port(Listener.SUBMISSION),
                "--tls", "--auth", "LOGIN", "--auth-user", "alice@example.test", "--auth-password",
                TestDirectory.ALICE_PASSWORD, "--from", "alice@example.test", "--to", "friend@remote.example",
                "--data", "@" + file(msg), "--silent", "2"));
        assertEquals("alice@example.test", in.envelope().authUser());
    }

    @Test
    void curl() throws Exception {
        byte[] msg = message("curl");
        sendAndRead(msg, List.of("curl", "-sS", "--fail", "smtp://127.0.0.1:" + port(Listener.MX), "--mail-from",
                "bob@example.net", "--mail-rcpt", "alice@example.test", "--upload-file", file(msg)));
    }

    @Test
    void msmtpSubmission() throws Exception {
        byte[] msg = message("msmtp");
        sendAndRead(msg, List.of("msmtp", "--host=127.0.0.1", "--port=" + port(Listener.SUBMISSION), "--tls=on",
                "--tls-starttls=on", "--tls-certcheck=off", "--auth=plain", "--user=alice@example.test",
                "--passwordeval=echo '" + TestDirectory.ALICE_PASSWORD + "'", "--from=alice@example.test",
                "alice@example.test"), file(msg));
    }

    private InboundMessage sendAndRead(byte[] msg, List<String> command) throws Exception {
        return sendAndRead(msg, command, null);
    }

    private InboundMessage sendAndRead(byte[] msg, List<String> command, String stdinFile) throws Exception {
        try (TopicReader reader = TopicReader.fromEnd(Infra.kafka(), Topics.INBOUND)) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (stdinFile != null) {
                pb.redirectInput(Path.of(stdinFile).toFile());
            }
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client hung");
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
            ConsumerRecord<String, byte[]> record = reader.await(r -> endsWith(EventCodec.decodeInbound(r.value()).message(), msg),
                    Duration.ofSeconds(20));
            assertNotNull(record, "the message is not on mail.inbound");
            InboundMessage in = EventCodec.decodeInbound(record.value());
            byte[] stored = in.message();
            // The server prepends one Received header; everything after it is the client's bytes.
            assertArrayEquals(msg, Arrays.copyOfRange(stored, stored.length - msg.length, stored.length));
            String trace = new String(stored, 0, stored.length - msg.length, StandardCharsets.UTF_8);
            assertTrue(trace.startsWith("Received: from ") && trace.endsWith("\r\n"), trace);
            assertEquals(-1, trace.replace("\r\n\t", "").indexOf("\r\n", 0) == trace.replace("\r\n\t", "").length() - 2 ? -1 : 0,
                    "exactly one (folded) header was prepended: " + trace);
            assertEquals(record.key(), in.envelope().queueId());
            return in;
        }
    }

    private static byte[] withCrlf(byte[] msg) {
        byte[] out = Arrays.copyOf(msg, msg.length + 2);
        out[msg.length] = '\r';
        out[msg.length + 1] = '\n';
        return out;
    }

    private static boolean endsWith(byte[] whole, byte[] tail) {
        return whole.length >= tail.length
                && Arrays.equals(Arrays.copyOfRange(whole, whole.length - tail.length, whole.length), tail);
    }

    private String port(Listener l) {
        return String.valueOf(server.port(l));
    }

    private static final List<Path> TEMP = new ArrayList<>();

    private static String file(byte[] content) throws IOException {
        Path f = Files.createTempFile("mailroom-msg-", ".eml");
        Files.write(f, content);
        f.toFile().deleteOnExit();
        TEMP.add(f);
        return f.toString();
    }

    private static String script() throws Exception {
        return Path.of(RealClientsIT.class.getResource("/clients/smtplib_send.py").toURI()).toString();
    }
}
