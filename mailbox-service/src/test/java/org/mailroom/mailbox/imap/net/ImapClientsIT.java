package org.mailroom.mailbox.imap.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.Fixtures;
import org.mailroom.mailbox.LineClient;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.mailbox.directory.Directory;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * Real IMAP clients against the real listeners and store: Python's imaplib through the whole
 * command set, isync (mbsync) and offlineimap syncing a Maildir both ways, curl reading, listing,
 * searching and appending. Each test gets its own account whose INBOX holds
 * {@link ImapConversationIT#FIRST} and {@link ImapConversationIT#SECOND} (stored with a
 * Return-Path line before each); the results are checked on the server with SQL. A missing client
 * fails the test, naming the Debian package (deploy/local/prereqs installs them all). The sync
 * clients' protocol traces are kept in target/imap-clients/.
 */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class ImapClientsIT {

    static final String RETURN_PATH = "Return-Path: <sender@remote.test>\r\n";
    static final String FIRST = RETURN_PATH + ImapConversationIT.FIRST;
    static final String SECOND = RETURN_PATH + ImapConversationIT.SECOND;
    static final String PASSWORD = "secret";

    /** Messages of one mailbox of an account, and the store's view of them. */
    static final String IN_MAILBOX = " FROM mailbox.messages m JOIN mailbox.mailboxes x ON x.id = m.mailbox_id"
            + " WHERE x.account = ? AND x.name = ?";

    @Inject
    Directory directory;

    @Inject
    ImapServer server;

    private String account(String name) {
        String user = name + "@imap-clients.test";
        Fixtures.account(directory, user, PASSWORD, 0);
        Fixtures.deliver(user, ImapConversationIT.FIRST);
        Fixtures.deliver(user, ImapConversationIT.SECOND);
        return user;
    }

    @Test
    void pythonImaplibWholeCommandSet() throws Exception {
        String user = account("imaplib");
        Path script = resource("imaplib_check.py");
        Path outDir = Files.createTempDirectory("imaplib");
        byte[] out = run("python3", new ProcessBuilder("python3", script.toString(), "127.0.0.1", String.valueOf(server.port()),
                String.valueOf(server.tlsPort()), user, PASSWORD, TlsTestResource.cert().toString(), outDir.toString()));
        JsonNode report = new ObjectMapper().readTree(out);
        List<String> problems = new ArrayList<>();
        report.get("problems").forEach(p -> problems.add(p.asText()));
        assertTrue(!report.has("error") && problems.isEmpty(), "imaplib: " + report.path("error").asText("")
                + "\n" + report.path("trace").asText("") + "\nfailed checks:\n  " + String.join("\n  ", problems));
        // BODY.PEEK[] answers the stored message byte for byte
        assertArrayEquals(FIRST.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(outDir.resolve("fetch1.eml")));
        assertArrayEquals(SECOND.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(outDir.resolve("fetch2.eml")));
        // What the script left: INBOX holds the appended "third" (flagged, $Label1) and the message
        // appended while idling; Work a copy of "first"; Archive "second", moved, still \Answered.
        assertEquals("2", count(user, "INBOX"));
        assertEquals("third,while idling", subjects(user, "INBOX"));
        assertEquals("true {$Label1}", Fixtures.query("SELECT m.flagged || ' ' || m.keywords::text" + IN_MAILBOX + " AND m.uid = 3",
                user, "INBOX"));
        assertEquals("2020-01-01T12:00:00Z", Fixtures.query("SELECT to_char(m.internal_date AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" + IN_MAILBOX + " AND m.uid = 3", user, "INBOX"));
        assertEquals("first", subjects(user, "Work"));
        assertEquals("second", subjects(user, "Archive"));
        assertEquals("t", Fixtures.query("SELECT m.answered::text" + IN_MAILBOX, user, "Archive").substring(0, 1));
        assertEquals("f", Fixtures.query("SELECT subscribed::text FROM mailbox.mailboxes WHERE account = ? AND name = 'Archive'", user)
                .substring(0, 1));
        assertEquals("0", Fixtures.query("SELECT count(*) FROM mailbox.mailboxes WHERE account = ? AND name IN ('Tmp', 'Work/Sub')",
                user));
        // expunged from INBOX: 1 (EXPUNGE), 2 (UID MOVE), 4 (UID EXPUNGE), 5 (CLOSE)
        assertEquals("1,2,4,5", Fixtures.query("SELECT string_agg(e.uid::text, ',' ORDER BY e.uid) FROM mailbox.expunged e"
                + " JOIN mailbox.mailboxes x ON x.id = e.mailbox_id WHERE x.account = ? AND x.name = 'INBOX'", user));
    }

    /**
     * isync 1.4 (Debian 12; 1.5 renames SSLType to TLSType): pull INBOX into a Maildir, push a flag
     * change, a deletion, a new message and a new folder back, then pull a flag change, an expunge
     * and a delivery made on the server. isync keeps CRLF on the IMAP side and LF in the Maildir.
     */
    @Test
    void mbsyncSyncsBothWays() throws Exception {
        String user = account("mbsync");
        Path dir = Files.createTempDirectory("mbsync");
        Path mail = dir.resolve("mail");
        Files.createDirectories(mail);
        Path conf = dir.resolve("mbsyncrc");
        Files.writeString(conf, String.join("\n",
                "IMAPAccount remote",
                "Host 127.0.0.1",
                "Port " + server.tlsPort(),
                "User " + user,
                "Pass " + PASSWORD,
                "SSLType IMAPS",
                "SSLVersions TLSv1.2 TLSv1.3",
                "SystemCertificates no",
                "CertificateFile " + TlsTestResource.cert(),
                "",
                "IMAPStore remote",
                "Account remote",
                "",
                "MaildirStore local",
                "Path " + mail + "/",
                "Inbox " + mail.resolve("INBOX"),
                "SubFolders Verbatim",
                "",
                "Channel test",
                "Far :remote:",
                "Near :local:",
                "Patterns *",
                "Sync All",
                "Create Both",
                "Expunge Both",
                "SyncState *",
                ""));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        List<String> mbsync = List.of("mbsync", "-c", conf.toString(), "-V", "-Dn", "-a");

        String log = keep("mbsync-1", runLogged("isync", new ProcessBuilder(mbsync)));
        Path inbox = mail.resolve("INBOX");
        List<Path> pulled = messages(inbox);
        assertEquals(2, pulled.size(), "pulled " + pulled + "\n" + log);
        Path first = withSubject(pulled, "Subject: first");
        Path second = withSubject(pulled, "Subject: second");
        // isync marks each message it copies, either way, with an X-TUID header of its own
        assertEquals(lf(FIRST), withoutTuid(Files.readString(first, StandardCharsets.US_ASCII)));
        assertEquals(lf(SECOND), withoutTuid(Files.readString(second, StandardCharsets.US_ASCII)));

        // Seen and flagged: the Maildir info ":2,FS" (maildir(5)); the file moves to cur/.
        String name = first.getFileName().toString();
        String base = name.contains(":2,") ? name.substring(0, name.indexOf(":2,")) : name;
        Files.move(first, inbox.resolve("cur").resolve(base + ":2,FS"));
        Files.delete(second);
        String uploaded = "From: bob@clients.test\nTo: carol@remote.test\nSubject: uploaded by mbsync\n\nfrom the Maildir\n";
        Files.writeString(inbox.resolve("new").resolve(System.currentTimeMillis() / 1000 + ".mbsync1.test"), uploaded);
        Path local = mail.resolve("Local");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(local.resolve(sub));
        }
        String inLocal = "From: bob@clients.test\nSubject: in a new folder\n\nmade locally\n";
        Files.writeString(local.resolve("cur").resolve(System.currentTimeMillis() / 1000 + ".mbsync2.test:2,S"), inLocal);

        log = keep("mbsync-2", runLogged("isync", new ProcessBuilder(mbsync)));
        assertEquals("true true", Fixtures.query("SELECT m.seen || ' ' || m.flagged" + IN_MAILBOX + " AND m.uid = 1", user, "INBOX"), log);
        assertEquals("0", Fixtures.query("SELECT count(*)" + IN_MAILBOX + " AND m.uid = 2", user, "INBOX"), log);
        assertEquals("1", Fixtures.query("SELECT count(*) FROM mailbox.expunged e JOIN mailbox.mailboxes x ON x.id = e.mailbox_id"
                + " WHERE x.account = ? AND x.name = 'INBOX' AND e.uid = 2", user), log);
        assertEquals(crlf(uploaded), withoutTuid(body(user, "INBOX", "uploaded by mbsync")), log);
        assertEquals(crlf(inLocal), withoutTuid(body(user, "Local", "in a new folder")), log);
        assertEquals("t", Fixtures.query("SELECT m.seen::text" + IN_MAILBOX, user, "Local").substring(0, 1), log);
        // Server-side changes come down: a flag, an expunge, a new delivery.
        serverSideChanges(user, "mbsync");
        log = keep("mbsync-3", runLogged("isync", new ProcessBuilder(mbsync)));
        assertServerSideChangesPulled(inbox, "mbsync", log);
        // and a fourth run finds nothing to do
        log = keep("mbsync-4", runLogged("isync", new ProcessBuilder(mbsync)));
        assertEquals(2, messages(inbox).size(), log);
        assertEquals("2", count(user, "INBOX"), log);
    }

    /** On the server: \Answered on the message uploaded by the client, UID 1 expunged, a new delivery. */
    private void serverSideChanges(String user, String client) throws Exception {
        String uploadedUid = Fixtures.query("SELECT m.uid" + IN_MAILBOX + " AND m.uid > 2", user, "INBOX");
        assertNotNull(uploadedUid);
        imap(user, "SELECT INBOX", "UID STORE " + uploadedUid + " +FLAGS (\\Answered)", "UID STORE 1 +FLAGS.SILENT (\\Deleted)",
                "EXPUNGE");
        Fixtures.deliver(user, "From: sender@remote.test\r\nSubject: delivered later\r\n\r\nfor " + client + "\r\n");
    }

    private static void assertServerSideChangesPulled(Path inbox, String client, String log) throws IOException {
        List<Path> now = messages(inbox);
        assertEquals(2, now.size(), "after the server-side changes: " + now + "\n" + log);
        Path uploaded = withSubject(now, "Subject: uploaded by " + client);
        String info = uploaded.getFileName().toString().replaceFirst("^.*:2,", "");
        assertTrue(info.contains("R"), "\\Answered became R (maildir(5)): " + uploaded + "\n" + log);
        assertEquals("From: sender@remote.test\nSubject: delivered later\n\nfor " + client + "\n",
                withoutTuid(Files.readString(withSubject(now, "Subject: delivered later"), StandardCharsets.US_ASCII))
                        .replace(RETURN_PATH.replace("\r\n", "\n"), ""));
    }

    /** Runs commands over implicit TLS as the user, each expected to end OK; answers every line read. */
    private List<String> imap(String user, String... commands) throws Exception {
        List<String> all = new ArrayList<>();
        all.add("LOGIN \"" + user + "\" " + PASSWORD);
        all.addAll(List.of(commands));
        all.add("LOGOUT");
        List<String> lines = new ArrayList<>();
        try (LineClient c = new LineClient(server.tlsPort(), true)) {
            lines.add(c.readLine());
            int n = 0;
            for (String command : all) {
                String tag = "s" + ++n;
                c.send(tag + " " + command);
                String line;
                do {
                    line = c.readLine();
                    assertNotNull(line, "connection closed after " + lines);
                    lines.add(line);
                } while (!line.startsWith(tag + " "));
                assertTrue(line.startsWith(tag + " OK"), String.join("\n", lines));
            }
        }
        return lines;
    }

    /**
     * offlineimap (Debian 12's offlineimap3, 8.0.0): one-shot syncs of INBOX with a Maildir: pull,
     * push a flag change, a deletion and a new message, then pull the server's changes.
     */
    @Test
    void offlineimapSyncsBothWays() throws Exception {
        String user = account("offlineimap");
        Path dir = Files.createTempDirectory("offlineimap");
        Path mail = dir.resolve("mail");
        Path conf = dir.resolve("offlineimaprc");
        Files.writeString(conf, String.join("\n",
                "[general]",
                "accounts = test",
                "metadata = " + dir.resolve("metadata"),
                "",
                "[Account test]",
                "localrepository = local",
                "remoterepository = remote",
                "",
                "[Repository local]",
                "type = Maildir",
                "localfolders = " + mail,
                "",
                "[Repository remote]",
                "type = IMAP",
                "remotehost = localhost",
                "remoteport = " + server.tlsPort(),
                "remoteuser = " + user,
                "remotepass = " + PASSWORD,
                "ssl = yes",
                "sslcacertfile = " + TlsTestResource.cert(),
                "folderfilter = lambda name: name == 'INBOX'",
                ""));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        List<String> offlineimap = List.of("offlineimap", "-c", conf.toString(), "-o", "-u", "basic", "-d", "imap");

        String log = keep("offlineimap-1", runLogged("offlineimap3", new ProcessBuilder(offlineimap)));
        assertTrue(!log.contains("ERROR"), log);
        Path inbox = mail.resolve("INBOX");
        List<Path> pulled = messages(inbox);
        assertEquals(2, pulled.size(), "pulled " + pulled + "\n" + log);
        Path first = withSubject(pulled, "Subject: first");
        Path second = withSubject(pulled, "Subject: second");
        assertEquals(lf(FIRST), Files.readString(first, StandardCharsets.US_ASCII), log);
        assertEquals(lf(SECOND), Files.readString(second, StandardCharsets.US_ASCII), log);

        String name = first.getFileName().toString();
        String base = name.contains(":2,") ? name.substring(0, name.indexOf(":2,")) : name;
        Files.move(first, inbox.resolve("cur").resolve(base + ":2,FS"));
        Files.delete(second);
        String uploaded = "From: bob@clients.test\nTo: carol@remote.test\nSubject: uploaded by offlineimap\n\nfrom the Maildir\n";
        Files.writeString(inbox.resolve("new").resolve(System.currentTimeMillis() / 1000 + ".offlineimap1.test"), uploaded);

        log = keep("offlineimap-2", runLogged("offlineimap3", new ProcessBuilder(offlineimap)));
        assertTrue(!log.contains("ERROR"), log);
        assertEquals("true true", Fixtures.query("SELECT m.seen || ' ' || m.flagged" + IN_MAILBOX + " AND m.uid = 1", user, "INBOX"), log);
        assertEquals("0", Fixtures.query("SELECT count(*)" + IN_MAILBOX + " AND m.uid = 2", user, "INBOX"), log);
        String stored = body(user, "INBOX", "uploaded by offlineimap");
        assertNotNull(stored, "not uploaded\n" + log);
        // offlineimap may add its own X-OfflineIMAP header when the server answers no APPENDUID
        assertTrue(stored.endsWith(crlf(uploaded).substring(crlf(uploaded).indexOf("From:"))), stored);
        assertTrue(!stored.contains("X-OfflineIMAP"), "the server answered APPENDUID (RFC 4315)\n" + stored);
        assertEquals("2", count(user, "INBOX"), log);

        serverSideChanges(user, "offlineimap");
        log = keep("offlineimap-3", runLogged("offlineimap3", new ProcessBuilder(offlineimap)));
        assertTrue(!log.contains("ERROR"), log);
        assertServerSideChangesPulled(inbox, "offlineimap", log);
    }

    @Test
    void curlReadsListsSearchesAndAppends() throws Exception {
        String user = account("curl");
        String cacert = TlsTestResource.cert().toString();
        String imaps = "imaps://127.0.0.1:" + server.tlsPort() + "/";
        String imap = "imap://127.0.0.1:" + server.port() + "/";
        List<String> curl = List.of("curl", "-sS", "--cacert", cacert, "--user", user + ":" + PASSWORD);

        assertArrayEquals(FIRST.getBytes(StandardCharsets.US_ASCII), run("curl", curl(curl, imaps + "INBOX;UID=1")));
        assertArrayEquals(SECOND.getBytes(StandardCharsets.US_ASCII), run("curl", curl(curl, "--ssl-reqd", imap + "INBOX;UID=2")));
        assertEquals("part one", text(run("curl", curl(curl, imaps + "INBOX;UID=2/;SECTION=1"))));
        assertEquals("Subject: first\r\n\r\n",
                text(run("curl", curl(curl, imaps + "INBOX;UID=1/;SECTION=HEADER.FIELDS%20(SUBJECT)"))));
        String list = text(run("curl", curl(curl, imaps)));
        assertTrue(list.lines().anyMatch(l -> l.matches("\\* LIST \\(.*\\) \"/\" \"?INBOX\"?")), list);
        assertEquals("* SEARCH 2\r\n", text(run("curl", curl(curl, imaps + "INBOX?SUBJECT%20second"))));

        Path upload = Files.createTempFile("curl-upload", ".eml");
        String message = "From: bob@clients.test\r\nSubject: uploaded by curl\r\n\r\nappended\r\n";
        Files.writeString(upload, message);
        run("curl", curl(curl, "-T", upload.toString(), imaps + "INBOX"));
        assertEquals(message, body(user, "INBOX", "uploaded by curl"));
        String status = text(run("curl", curl(curl, "-X", "STATUS INBOX (MESSAGES UIDNEXT)", imaps)));
        assertTrue(status.matches("\\* STATUS \"?INBOX\"? \\(MESSAGES 3 UIDNEXT 4\\)\r\n"), status);
    }

    private static List<String> curl(List<String> base, String... more) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(more));
        return command;
    }

    // --- the store's view ---------------------------------------------------------------------

    private static String count(String user, String mailbox) {
        return Fixtures.query("SELECT count(*)" + IN_MAILBOX, user, mailbox);
    }

    /** The subjects of a mailbox's messages in UID order, comma-separated. */
    private static String subjects(String user, String mailbox) {
        return Fixtures.query("SELECT string_agg(substring(convert_from(b.content, 'UTF8') from 'Subject: ([^\\r]*)'), ','"
                + " ORDER BY m.uid) FROM mailbox.messages m JOIN mailbox.mailboxes x ON x.id = m.mailbox_id"
                + " JOIN mailbox.blobs b ON b.sha256 = m.blob_sha256 WHERE x.account = ? AND x.name = ?", user, mailbox);
    }

    /** The stored bytes of the message of a mailbox whose subject is given; null when none. */
    private static String body(String user, String mailbox, String subject) {
        return Fixtures.query("SELECT convert_from(b.content, 'UTF8') FROM mailbox.messages m"
                + " JOIN mailbox.mailboxes x ON x.id = m.mailbox_id JOIN mailbox.blobs b ON b.sha256 = m.blob_sha256"
                + " WHERE x.account = ? AND x.name = ? AND position(? in convert_from(b.content, 'UTF8')) > 0",
                user, mailbox, "Subject: " + subject + "\r\n");
    }

    // --- Maildir ------------------------------------------------------------------------------

    private static List<Path> messages(Path maildir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = maildir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.list(d)) {
                    files.filter(Files::isRegularFile).forEach(out::add);
                }
            }
        }
        return out;
    }

    private static Path withSubject(List<Path> files, String subjectLine) throws IOException {
        for (Path f : files) {
            if (Files.readString(f, StandardCharsets.US_ASCII).contains(subjectLine + "\n")) {
                return f;
            }
        }
        fail("no message with " + subjectLine + " in " + files);
        return null;
    }

    private static String withoutTuid(String message) {
        return message == null ? null : message.replaceFirst("(?m)^X-TUID: [^\r\n]*\r?\n", "");
    }

    private static String lf(String crlf) {
        return crlf.replace("\r\n", "\n");
    }

    private static String crlf(String lf) {
        return lf.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // --- running clients ----------------------------------------------------------------------

    /** Keeps a client's protocol trace in target/imap-clients/ for whoever reads a failure; answers it. */
    private static String keep(String name, String log) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "imap-clients"));
        Files.writeString(dir.resolve(name + ".log"), log, StandardCharsets.ISO_8859_1);
        return log;
    }

    private Path resource(String name) throws IOException {
        Path file = Files.createTempFile(name.replace('.', '-'), name.substring(name.lastIndexOf('.')));
        try (InputStream in = getClass().getResourceAsStream("/clients/" + name)) {
            assertNotNull(in, name);
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    /** Runs a client to its end (60 s at most); answers its standard output; fails naming the package when missing. */
    static byte[] run(String debianPackage, ProcessBuilder pb) throws Exception {
        return execute(debianPackage, pb, false).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] run(String debianPackage, List<String> command) throws Exception {
        return run(debianPackage, new ProcessBuilder(command));
    }

    /** Runs a client with its standard output and error together; answers them (its protocol trace). */
    static String runLogged(String debianPackage, ProcessBuilder pb) throws Exception {
        return execute(debianPackage, pb, true);
    }

    private static String execute(String debianPackage, ProcessBuilder pb, boolean merge) throws Exception {
        String program = pb.command().get(0);
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, program));
        }
        if (!found) {
            fail(program + " is not installed: apt-get install -y " + debianPackage + " (deploy/local/prereqs)");
        }
        Path out = Files.createTempFile("client-", ".out");
        Path err = Files.createTempFile("client-", ".err");
        pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (merge) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        Map<String, String> env = pb.environment();
        if (!env.containsKey("HOME")) {
            env.put("HOME", Files.createTempDirectory("client-home").toString());
        }
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail(pb.command() + " hung (60 s):\n" + Files.readString(out, StandardCharsets.ISO_8859_1)
                    + Files.readString(err, StandardCharsets.ISO_8859_1));
        }
        String output = Files.readString(out, StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), pb.command() + " failed:\n" + Files.readString(err, StandardCharsets.ISO_8859_1) + output);
        return output;
    }
}
