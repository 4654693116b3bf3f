package org.mailroom.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The path of ARCHITECTURE.md end to end, with real clients against the processes deploy/local
 * runs: an account made through the admin API receives a message sent over SMTP (swaks) and reads
 * it over POP3 (Python's poplib, curl), byte for byte apart from the trace headers.
 */
class MailFlowPlatformIT {

    static final String DOMAIN = "flow-" + Long.toHexString(System.nanoTime()) + ".test";
    static final String USER = "alice@" + DOMAIN;
    static final String PASSWORD = "correct horse " + UUID.randomUUID();

    @BeforeAll
    static void up() throws Exception {
        Platform.up();
        assertEquals(201, Platform.post("policy-service", "/api/v1/domains", "{\"name\":\"" + DOMAIN + "\"}").statusCode());
        assertEquals(201, Platform.post("policy-service", "/api/v1/accounts",
                "{\"address\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}").statusCode());
        awaitRecipientAccepted(USER, Duration.ofSeconds(30));
    }

    /** The directory reaches smtp-ingress through mail.directory: wait until RCPT says 250. */
    static void awaitRecipientAccepted(String rcpt, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = rcptReply(rcpt);
            if (last.startsWith("250")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("smtp-ingress never accepted " + rcpt + ": " + last);
    }

    /** What the MX answers to RCPT TO this address from an internet sender. */
    static String rcptReply(String rcpt) throws Exception {
        try (Socket s = new Socket("127.0.0.1", Platform.SMTP)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            in.readLine();
            out.write(("HELO probe\r\nMAIL FROM:<probe@example.net>\r\nRCPT TO:<" + rcpt + ">\r\nQUIT\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            in.readLine();
            in.readLine();
            return in.readLine();
        }
    }

    static byte[] message(String marker) {
        return ("From: Bob <bob@example.net>\r\nTo: " + USER + "\r\nDate: Thu, 03 Dec 2026 17:00:00 +0000\r\n"
                + "Message-ID: <" + marker + "@example.net>\r\nSubject: " + marker + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Hello \u00e9\u00e8.\r\n.a line that starts with a dot\r\nbye\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hung: " + command);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    static String script(String name) throws Exception {
        return Path.of(MailFlowPlatformIT.class.getResource("/clients/" + name).toURI()).toString();
    }

    @Test
    void swaksToPop3ByteForByte() throws Exception {
        String marker = "flow-" + UUID.randomUUID();
        byte[] msg = message(marker);
        Path file = Files.createTempFile("flow", ".eml");
        Files.write(file, msg);
        exec(List.of("swaks", "--server", "127.0.0.1", "--port", String.valueOf(Platform.SMTP), "--from",
                "bob@example.net", "--to", USER, "--data", "@" + file, "--silent", "2"));
        Path got = Files.createTempFile("flow", ".got");
        exec(List.of("python3", script("pop3_fetch.py"), "127.0.0.1", String.valueOf(Platform.POP3), USER, PASSWORD,
                marker, got.toString(), "--delete"));
        byte[] retrieved = Files.readAllBytes(got);
        String text = new String(retrieved, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Return-Path: <bob@example.net>\r\n"), text);
        assertTrue(text.contains("\r\nReceived: from "), text);
        // swaks ends its data with one more CRLF; everything the client sent is there, unchanged.
        byte[] sent = Arrays.copyOf(msg, msg.length + 2);
        sent[msg.length] = '\r';
        sent[msg.length + 1] = '\n';
        assertArrayEquals(sent, Arrays.copyOfRange(retrieved, retrieved.length - sent.length, retrieved.length), text);
        // and nothing but trace fields (RFC 5321 §4.4) came before it: Return-Path, then Received (folded or not)
        String added = new String(retrieved, 0, retrieved.length - sent.length, StandardCharsets.UTF_8);
        assertTrue(added.matches("Return-Path: <bob@example\\.net>\r\n(Received: [^\r\n]*\r\n([ \t][^\r\n]*\r\n)*)+"),
                added);
    }

    @Test
    void aDeletedAccountIsRefusedAt550WithoutRestartingAnything() throws Exception {
        String leaving = "leaving@" + DOMAIN;
        assertEquals(201, Platform.post("policy-service", "/api/v1/accounts",
                "{\"address\":\"" + leaving + "\",\"password\":\"x-" + UUID.randomUUID() + "\"}").statusCode());
        awaitRecipientAccepted(leaving, Duration.ofSeconds(30));
        assertEquals(204, Platform.delete("policy-service", "/api/v1/accounts/" + leaving).statusCode());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String reply = null;
        while (Instant.now().isBefore(deadline)) {
            reply = rcptReply(leaving);
            if (reply.startsWith("550 5.1.1")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("a deleted account must be refused with 550 5.1.1, got " + reply);
    }

    @Test
    void curlSendsAndCurlReadsOverPop3s() throws Exception {
        String marker = "curl-" + UUID.randomUUID();
        byte[] msg = message(marker);
        curlSend(msg);
        Path got = Files.createTempFile("flow", ".got");
        exec(List.of("python3", script("pop3_fetch.py"), "127.0.0.1", String.valueOf(Platform.POP3S), USER, PASSWORD,
                marker, got.toString(), "--ssl"));
        String listing = exec(List.of("curl", "-sS", "--fail", "-k", "--user", USER + ":" + PASSWORD,
                "pop3s://127.0.0.1:" + Platform.POP3S + "/"));
        assertTrue(listing.lines().anyMatch(l -> l.matches("\\d+ \\d+")), listing);
        byte[] retrieved = Files.readAllBytes(got);
        assertArrayEquals(msg, Arrays.copyOfRange(retrieved, retrieved.length - msg.length, retrieved.length));
    }

    /**
     * Issue 5 and 6 end to end: a message sent over SMTP is read over IMAP (curl, byte for byte)
     * and over POP3; deleted over IMAP (STORE \Deleted, UID EXPUNGE), it is gone over POP3.
     */
    @Test
    void smtpToImapAndPop3AndDeletedOverImap() throws Exception {
        String marker = "imap-" + UUID.randomUUID();
        byte[] msg = message(marker);
        curlSend(msg);
        String imaps = IMAPS_INBOX;
        List<String> user = CURL_USER;
        String uid = imapUid(marker);
        Path got = Files.createTempFile("flow", ".imap");
        exec(concat(List.of("curl"), user, List.of("-o", got.toString(), imaps + ";UID=" + uid)));
        byte[] retrieved = Files.readAllBytes(got);
        assertTrue(new String(retrieved, StandardCharsets.UTF_8).startsWith("Return-Path: <bob@example.net>\r\n"));
        assertArrayEquals(msg, Arrays.copyOfRange(retrieved, retrieved.length - msg.length, retrieved.length));
        Path viaPop3 = Files.createTempFile("flow", ".pop3");
        exec(List.of("python3", script("pop3_fetch.py"), "127.0.0.1", String.valueOf(Platform.POP3S), USER, PASSWORD,
                marker, viaPop3.toString(), "--ssl"));
        assertArrayEquals(retrieved, Files.readAllBytes(viaPop3), "the same octets over both protocols");

        exec(concat(List.of("curl"), user, List.of("-X", "UID STORE " + uid + " +FLAGS (\\Deleted)", imaps)));
        exec(concat(List.of("curl"), user, List.of("-X", "UID EXPUNGE " + uid, imaps)));
        exec(List.of("python3", script("pop3_fetch.py"), "127.0.0.1", String.valueOf(Platform.POP3S), USER, PASSWORD,
                marker, viaPop3.toString(), "--ssl", "--absent"));
    }

    /**
     * What the MX accepts, the mailbox serves: a message of 24 MiB (the SIZE limit is 25 MiB) goes
     * through Kafka and PostgreSQL and is read whole over IMAP (curl) and POP3 (poplib), with the
     * services' default heaps of 192 MiB. Reading it as one row ran mailbox-service out of heap.
     */
    @Test
    void aMessageNearTheSizeLimitIsServedOverImapAndPop3() throws Exception {
        String marker = "large-" + UUID.randomUUID();
        StringBuilder text = new StringBuilder(25 << 20).append("From: Bob <bob@example.net>\r\nTo: ").append(USER)
                .append("\r\nSubject: ").append(marker).append("\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        java.util.Random random = new java.util.Random(7);
        byte[] raw = new byte[57];
        while (text.length() < (24 << 20)) {
            random.nextBytes(raw);
            text.append(java.util.Base64.getEncoder().encodeToString(raw)).append("\r\n");
        }
        byte[] msg = text.toString().getBytes(StandardCharsets.US_ASCII);
        Path file = curlSend(msg);
        Path viaPop3 = Files.createTempFile("large", ".pop3");
        exec(List.of("python3", script("pop3_fetch.py"), "127.0.0.1", String.valueOf(Platform.POP3S), USER, PASSWORD,
                marker, viaPop3.toString(), "--ssl"));
        byte[] retrieved = Files.readAllBytes(viaPop3);
        assertArrayEquals(msg, Arrays.copyOfRange(retrieved, retrieved.length - msg.length, retrieved.length));
        String imaps = IMAPS_INBOX;
        List<String> user = CURL_USER;
        String uid = imapUid(marker);
        Path viaImap = Files.createTempFile("large", ".imap");
        exec(concat(List.of("curl"), user, List.of("-o", viaImap.toString(), imaps + ";UID=" + uid)));
        assertArrayEquals(retrieved, Files.readAllBytes(viaImap), "the same octets over both protocols");
        exec(concat(List.of("curl"), user, List.of("-X", "UID STORE " + uid + " +FLAGS (\\Deleted)", imaps)));
        exec(concat(List.of("curl"), user, List.of("-X", "UID EXPUNGE " + uid, imaps)));
        for (Path p : List.of(file, viaPop3, viaImap)) {
            Files.delete(p);
        }
    }

    /**
     * Six clients sending 24 MiB each at once, with the services' default heaps: every one gets a
     * final answer, 250 or 452 4.3.1 (RFC 5321 §4.2.5: try again later), at least one is accepted,
     * and the MX goes on accepting mail. It ran out of heap and left sessions hanging before the
     * body budget reserved declared sizes whole.
     */
    @Test
    void manyLargeMessagesAtOnceAreAcceptedOrRefusedForLaterNeverLost() throws Exception {
        int clients = 6;
        byte[] line = "0123456789012345678901234567890123456789012345678901234567890123456789012345\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        int lines = (24 << 20) / line.length;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        List<java.util.concurrent.Future<String>> replies = new java.util.ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int n = i;
            replies.add(pool.submit(() -> {
                try (Socket s = new Socket("127.0.0.1", Platform.SMTP)) {
                    s.setSoTimeout(120_000);
                    OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    long size = (long) lines * line.length + 64;
                    String head = "Subject: bulk " + n + "\r\n\r\n";
                    out.write(("EHLO bulk.example.net\r\nMAIL FROM:<bob@example.net> SIZE=" + size + "\r\nRCPT TO:<" + USER
                            + ">\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String l;
                    while (!(l = in.readLine()).startsWith("354")) {
                        if (l.matches("[45]\\d\\d .*")) {
                            return l; // refused before the data
                        }
                    }
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    for (int k = 0; k < lines; k++) {
                        out.write(line);
                    }
                    out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return in.readLine();
                }
            }));
        }
        int accepted = 0;
        for (java.util.concurrent.Future<String> f : replies) {
            String reply = f.get(5, TimeUnit.MINUTES);
            assertTrue(reply.startsWith("250 ") || reply.startsWith("452 4.3.1"), reply);
            accepted += reply.startsWith("250 ") ? 1 : 0;
        }
        pool.shutdown();
        assertTrue(accepted >= 1, "at least one of them fits in the body budget");
        String marker = "after-bulk-" + UUID.randomUUID();
        curlSend(message(marker));
    }

    static final String IMAPS_INBOX = "imaps://127.0.0.1:" + Platform.IMAPS + "/INBOX";
    static final List<String> CURL_USER = List.of("-sS", "--fail", "-k", "--user", USER + ":" + PASSWORD);

    /** Sends the message to USER over SMTP with curl; the file it sent from. */
    static Path curlSend(byte[] msg) throws Exception {
        Path file = Files.createTempFile("flow", ".eml");
        Files.write(file, msg);
        exec(List.of("curl", "-sS", "--fail", "smtp://127.0.0.1:" + Platform.SMTP, "--mail-from", "bob@example.net",
                "--mail-rcpt", USER, "--upload-file", file.toString()));
        return file;
    }

    /** The UID of the INBOX message whose subject holds the marker, once IMAP shows it (60 s at most). */
    static String imapUid(String marker) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            String found = exec(concat(List.of("curl"), CURL_USER,
                    List.of("-X", "UID SEARCH SUBJECT \"" + marker + "\"", IMAPS_INBOX)));
            String uid = found.lines().filter(l -> l.matches("\\* SEARCH \\d+")).map(l -> l.substring(9)).findFirst()
                    .orElse(null);
            if (uid != null) {
                return uid;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the message never showed up over IMAP: " + marker);
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new java.util.ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
