package org.mailroom.mailbox.pop3.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.Fixtures;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * Real POP3 clients against the real listeners: Python's poplib, curl (pop3:// and pop3s://) and
 * mpop (downloads and deletes). A missing client fails the test, naming the Debian package.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class Pop3ClientsIT {

    static final String RETURN_PATH = "Return-Path: <sender@remote.test>\r\n";
    static final String ONE = "From: sender@remote.test\r\nSubject: one\r\n\r\n.starts with a dot\r\nend\r\n";
    static final String TWO = "From: sender@remote.test\r\nSubject: two\r\n\r\nsecond\r\n";

    @Inject
    Directory directory;

    @Inject
    Pop3Server server;

    private String account(String name) {
        String user = name + "@clients.test";
        Fixtures.account(directory, user, "secret", 0);
        Fixtures.deliver(user, ONE);
        Fixtures.deliver(user, TWO);
        return user;
    }

    /** Runs a program; answers its standard output. Fails naming the package when it is missing. */
    static byte[] run(String debianPackage, List<String> command) throws Exception {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, command.get(0)));
        }
        if (!found) {
            fail(command.get(0) + " is not installed: apt-get install -y " + debianPackage);
        }
        Path err = Files.createTempFile("client-", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " timed out");
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), command + " failed: " + stderr + new String(out, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void pythonPoplibOverStlsAndImplicitTls() throws Exception {
        String user = account("poplib");
        String uidValidity = Fixtures.query("SELECT uid_validity FROM mailbox.mailboxes WHERE account = ? AND name = 'INBOX'", user);
        Path script = Files.createTempFile("poplib_check", ".py");
        try (InputStream in = getClass().getResourceAsStream("/clients/poplib_check.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path outDir = Files.createTempDirectory("poplib");
        byte[] out = run("python3", List.of("python3", script.toString(), "127.0.0.1", String.valueOf(server.port()),
                String.valueOf(server.tlsPort()), user, "secret", TlsTestResource.cert().toString(), outDir.toString()));
        JsonNode result = new ObjectMapper().readTree(out);
        assertTrue(result.get("capa").toString().contains("STLS"), result.toString());
        long size1 = (RETURN_PATH + ONE).length();
        long size2 = (RETURN_PATH + TWO).length();
        assertEquals(2, result.get("stat").get(0).asInt());
        assertEquals(size1 + size2, result.get("stat").get(1).asLong());
        assertEquals("1 " + uidValidity + ".1", result.get("uidl").get(0).asText());
        // poplib undoes the dot-stuffing: the message comes back byte for byte
        assertArrayEquals((RETURN_PATH + ONE).getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(outDir.resolve("retr1.eml")));
        assertEquals(List.of("Return-Path: <sender@remote.test>", "From: sender@remote.test", "Subject: one", ""),
                toList(result.get("top")));
        assertEquals(1, result.get("after").get(0).asInt());
        assertEquals("1 " + uidValidity + ".2", result.get("uidl_after").get(0).asText());
        assertEquals("1", Fixtures.query("SELECT count(*) FROM mailbox.messages m JOIN mailbox.mailboxes b ON b.id = m.mailbox_id "
                + "WHERE b.account = ?", user));
    }

    @Test
    void curlListsAndRetrievesOverStlsAndImplicitTls() throws Exception {
        String user = account("curl");
        String cacert = TlsTestResource.cert().toString();
        String list = new String(run("curl", List.of("curl", "-sS", "--ssl-reqd", "--cacert", cacert, "--user", user + ":secret",
                "pop3://localhost:" + server.port() + "/")), StandardCharsets.US_ASCII);
        assertEquals("1 " + (RETURN_PATH + ONE).length() + "\r\n2 " + (RETURN_PATH + TWO).length() + "\r\n", list);
        byte[] retr = run("curl", List.of("curl", "-sS", "--cacert", cacert, "--user", user + ":secret",
                "pop3s://localhost:" + server.tlsPort() + "/1"));
        assertArrayEquals((RETURN_PATH + ONE).getBytes(StandardCharsets.US_ASCII), retr);
        byte[] retr2 = run("curl", List.of("curl", "-sS", "--ssl-reqd", "--tlsv1.2", "--cacert", cacert,
                "--login-options", "AUTH=PLAIN", "--user", user + ":secret", "pop3://localhost:" + server.port() + "/2"));
        assertArrayEquals((RETURN_PATH + TWO).getBytes(StandardCharsets.US_ASCII), retr2);
    }

    /** TLS 1.2 and 1.3 only: openssl, allowed to offer TLS 1.1 (security level 0), gets no session. */
    @Test
    void onlyTls12AndTls13AreAccepted() throws Exception {
        String target = "127.0.0.1:" + server.tlsPort();
        String tls12 = openssl(List.of("s_client", "-brief", "-connect", target, "-tls1_2", "-verify_return_error",
                "-CAfile", TlsTestResource.cert().toString(), "-verify_hostname", "localhost"));
        assertTrue(tls12.contains("TLSv1.2") && tls12.contains("+OK"), tls12);
        String tls11 = openssl(List.of("s_client", "-brief", "-connect", target, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"));
        assertTrue(!tls11.contains("+OK") && !tls11.contains("Protocol version: TLSv1.1"), tls11);
    }

    /** Runs openssl with "QUIT" on its input; answers everything it printed. */
    private static String openssl(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(args);
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            fail("openssl is not installed: apt-get install -y openssl");
        }
        Path log = Files.createTempFile("openssl-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (var in = p.getOutputStream()) {
            Thread.sleep(500);
            in.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            // openssl already gave up: its output says why
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command + " timed out");
        return Files.readString(log);
    }

    @Test
    void mpopDownloadsAndDeletes() throws Exception {
        String user = account("mpop");
        Path dir = Files.createTempDirectory("mpop");
        Path mbox = dir.resolve("mbox");
        Files.createFile(mbox);
        Path conf = dir.resolve("mpoprc");
        Files.writeString(conf, String.join("\n",
                "account test",
                "host 127.0.0.1",
                "port " + server.tlsPort(),
                "tls on",
                "tls_starttls off",
                "tls_trust_file " + TlsTestResource.cert(),
                "auth plain",
                "user " + user,
                "password secret",
                "delivery mbox " + mbox,
                "uidls_file " + dir.resolve("uidls"),
                "keep off",
                ""));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        run("mpop", List.of("mpop", "-C", conf.toString(), "-q", "test"));
        String got = Files.readString(mbox, StandardCharsets.UTF_8);
        assertTrue(got.contains("Subject: one") && got.contains("Subject: two"), got);
        assertTrue(got.contains(".starts with a dot"), got);
        assertEquals("0", Fixtures.query("SELECT count(*) FROM mailbox.messages m JOIN mailbox.mailboxes b ON b.id = m.mailbox_id "
                + "WHERE b.account = ?", user), "mpop deleted what it downloaded");
        assertEquals("2", Fixtures.query("SELECT count(*) FROM mailbox.expunged e JOIN mailbox.mailboxes b ON b.id = e.mailbox_id "
                + "WHERE b.account = ?", user), "the expunge is visible to IMAP (RFC 7162 VANISHED)");
    }

    @Test
    void fetchmailDownloadsAndDeletesOverStls() throws Exception {
        String user = account("fetchmail");
        Path home = Files.createTempDirectory("fetchmail");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path out = home.resolve("delivered");
        Path rc = home.resolve("fetchmailrc");
        Files.writeString(rc, String.join("\n",
                "set no bouncemail",
                "poll 127.0.0.1 with protocol POP3 service " + server.port() + " uidl",
                "  user \"" + user + "\" there with password \"secret\" is \"root\" here",
                "  options sslproto TLS1.2+ sslcertck sslcertfile \"" + TlsTestResource.cert() + "\""
                        + " sslcommonname localhost no keep fetchall",
                "  mda \"/bin/sh -c 'cat >> " + out + "'\"",
                ""));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        ProcessBuilder pb = new ProcessBuilder("fetchmail", "--nodetach", "--nosyslog", "-f", rc.toString(),
                "-i", home.resolve("fetchids").toString(), "--pidfile", home.resolve("pid").toString());
        pb.environment().put("FETCHMAILHOME", home.toString());
        runWith("fetchmail", pb);
        String got = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(got.contains("Subject: one") && got.contains("Subject: two"), got);
        assertEquals("0", Fixtures.query("SELECT count(*) FROM mailbox.messages m JOIN mailbox.mailboxes b ON b.id = m.mailbox_id "
                + "WHERE b.account = ?", user), "fetchmail deleted what it downloaded");
    }

    static void runWith(String debianPackage, ProcessBuilder pb) throws Exception {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, pb.command().get(0)));
        }
        if (!found) {
            fail(pb.command().get(0) + " is not installed: apt-get install -y " + debianPackage);
        }
        Path log = Files.createTempFile("client-", ".log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), pb.command() + " timed out");
        assertEquals(0, p.exitValue(), pb.command() + " failed: " + Files.readString(log));
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
