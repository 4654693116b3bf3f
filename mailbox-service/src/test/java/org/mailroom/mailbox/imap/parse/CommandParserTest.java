package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.mailbox.imap.parse.Wire.error;
import static org.mailroom.mailbox.imap.parse.Wire.ok;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandParserTest {

    @Test
    void commandsWithoutArguments() {
        assertEquals(new ImapCommand.Capability("a1"), ok(ImapCommand.Capability.class, "a1 CAPABILITY"));
        assertEquals(new ImapCommand.Noop("a2"), ok(ImapCommand.Noop.class, "a2 noop"));
        assertEquals(new ImapCommand.Logout("A3"), ok(ImapCommand.Logout.class, "A3 Logout"));
        assertEquals(new ImapCommand.StartTls("a4"), ok(ImapCommand.StartTls.class, "a4 STARTTLS"));
        assertEquals(new ImapCommand.Check("a5"), ok(ImapCommand.Check.class, "a5 CHECK"));
        assertEquals(new ImapCommand.Close("a6"), ok(ImapCommand.Close.class, "a6 CLOSE"));
        assertEquals(new ImapCommand.Expunge("a7"), ok(ImapCommand.Expunge.class, "a7 EXPUNGE"));
        assertEquals(new ImapCommand.Namespace("a8"), ok(ImapCommand.Namespace.class, "a8 NAMESPACE"));
        assertEquals(new ImapCommand.Idle("a9"), ok(ImapCommand.Idle.class, "a9 IDLE"));
        assertEquals(new ImapCommand.Unselect("b1"), ok(ImapCommand.Unselect.class, "b1 UNSELECT"));
    }

    @Test
    void doneEndsIdle() {
        assertEquals(new ImapCommand.Done(), ImapParser.parse("DONE"));
        assertEquals(new ImapCommand.Done(), ImapParser.parse("done"));
        assertEquals(new ImapCommand.Noop("DONE"), ImapParser.parse("DONE NOOP")); // a tag like any other
    }

    @Test
    void trailingTextIsRefused() {
        assertTrue(error("a1 NOOP now").reason().contains("unexpected text"));
        assertTrue(error("a1 NOOP ").replyLine().startsWith("a1 BAD"));
    }

    @Test
    void login() {
        assertEquals(new ImapCommand.Login("a1", "alice", "s3cret"), ok(ImapCommand.Login.class, "a1 LOGIN alice s3cret"));
        assertEquals(new ImapCommand.Login("a1", "alice@example.org", "p \"w\\"),
                ok(ImapCommand.Login.class, "a1 LOGIN \"alice@example.org\" \"p \\\"w\\\\\""));
        ImapCommand.Login literal = ok(ImapCommand.Login.class, "a1 LOGIN {5}\r\nalice {6+}\r\nsecret\r\n");
        assertEquals(new ImapCommand.Login("a1", "alice", "secret"), literal);
        assertFalse(literal.toString().contains("secret"));
        error("a1 LOGIN alice");
    }

    @Test
    void authenticateWithAndWithoutInitialResponse() {
        assertEquals(new ImapCommand.Authenticate("a1", "PLAIN", Optional.empty()),
                ok(ImapCommand.Authenticate.class, "a1 AUTHENTICATE plain"));
        assertEquals(new ImapCommand.Authenticate("a1", "PLAIN", Optional.of("AGFsaWNlAHNlY3JldA==")),
                ok(ImapCommand.Authenticate.class, "a1 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA=="));
        assertEquals(new ImapCommand.Authenticate("a1", "EXTERNAL", Optional.of("=")),
                ok(ImapCommand.Authenticate.class, "a1 AUTHENTICATE EXTERNAL ="));
        assertFalse(ok(ImapCommand.Authenticate.class, "a1 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==").toString().contains("AGF"));
        error("a1 AUTHENTICATE PLAIN AGF=sa");
        error("a1 AUTHENTICATE PLAIN abc");
        error("a1 AUTHENTICATE");
    }

    @Test
    void mailboxCommands() {
        assertEquals(new ImapCommand.Select("a1", "INBOX"), ok(ImapCommand.Select.class, "a1 SELECT inbox"));
        assertEquals(new ImapCommand.Select("a1", "INBOX"), ok(ImapCommand.Select.class, "a1 SELECT \"InBox\""));
        assertEquals(new ImapCommand.Examine("a1", "Archive/2024"), ok(ImapCommand.Examine.class, "a1 EXAMINE Archive/2024"));
        assertEquals(new ImapCommand.Create("a1", "Entw&APw-rfe"), ok(ImapCommand.Create.class, "a1 CREATE Entw&APw-rfe"));
        assertEquals(new ImapCommand.Delete("a1", "old stuff"), ok(ImapCommand.Delete.class, "a1 DELETE \"old stuff\""));
        assertEquals(new ImapCommand.Rename("a1", "a", "b c"), ok(ImapCommand.Rename.class, "a1 RENAME a {3}\r\nb c\r\n"));
        assertEquals(new ImapCommand.Subscribe("a1", "News"), ok(ImapCommand.Subscribe.class, "a1 SUBSCRIBE News"));
        assertEquals(new ImapCommand.Unsubscribe("a1", "News"), ok(ImapCommand.Unsubscribe.class, "a1 UNSUBSCRIBE News"));
        assertEquals("Inboxes", ok(ImapCommand.Select.class, "a1 SELECT Inboxes").mailbox());
        error("a1 SELECT");
        error("a1 SELECT (INBOX)");
    }

    @Test
    void listAndLsubWithWildcards() {
        assertEquals(new ImapCommand.ListMailboxes("a1", "", "*"), ok(ImapCommand.ListMailboxes.class, "a1 LIST \"\" *"));
        assertEquals(new ImapCommand.ListMailboxes("a1", "~/Mail/", "%"),
                ok(ImapCommand.ListMailboxes.class, "a1 LIST ~/Mail/ %"));
        assertEquals(new ImapCommand.ListMailboxes("a1", "", "Archive/*/x]"),
                ok(ImapCommand.ListMailboxes.class, "a1 LIST \"\" Archive/*/x]"));
        assertEquals(new ImapCommand.Lsub("a1", "#news.", "comp.mail.*"),
                ok(ImapCommand.Lsub.class, "a1 LSUB \"#news.\" \"comp.mail.*\""));
        error("a1 LIST \"\"");
        error("a1 LIST * *"); // the reference is a mailbox: no wildcards
    }

    @Test
    void status() {
        assertEquals(new ImapCommand.Status("a1", "INBOX", List.of(StatusItem.MESSAGES, StatusItem.UIDNEXT,
                StatusItem.UIDVALIDITY, StatusItem.UNSEEN, StatusItem.RECENT)),
                ok(ImapCommand.Status.class, "a1 STATUS inbox (MESSAGES uidnext UIDVALIDITY UNSEEN RECENT)"));
        error("a1 STATUS INBOX ()");
        error("a1 STATUS INBOX (SIZES)");
        error("a1 STATUS INBOX MESSAGES");
    }

    @Test
    void appendWithFlagsAndDate() {
        String message = "From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n";
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        ImapCommand.Append append = ok(ImapCommand.Append.class,
                "a1 APPEND saved-messages (\\Seen $Forwarded) \"17-Jul-1996 02:44:25 -0700\" {" + size + "}\r\n"
                        + message + "\r\n");
        assertEquals("saved-messages", append.mailbox());
        assertEquals(List.of(Flags.SEEN, "$Forwarded"), append.flags());
        assertEquals(Optional.of(OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHours(-7))),
                append.internalDate());
        assertArrayEquals(message.getBytes(StandardCharsets.UTF_8), append.message());

        ImapCommand.Append bare = ok(ImapCommand.Append.class, "a2 APPEND INBOX {3+}\r\nabc\r\n");
        assertEquals(List.of(), bare.flags());
        assertEquals(Optional.empty(), bare.internalDate());
        assertEquals(7, ok(ImapCommand.Append.class, "a3 APPEND INBOX () \" 7-Jul-1996 02:44:25 +0000\" {1}\r\nx\r\n")
                .internalDate().orElseThrow().getDayOfMonth());

        error("a1 APPEND INBOX \"message\"");
        error("a1 APPEND INBOX \"31-Feb-2020 00:00:00 +0000\" {1}\r\nx\r\n");
        error("a1 APPEND INBOX (\\Recent) {1}\r\nx\r\n");
        error("a1 APPEND INBOX {1}\r\nx extra\r\n");
    }

    @Test
    void storeModes() {
        SequenceSet set = SequenceSet.parse("2:4").orElseThrow();
        assertEquals(new ImapCommand.Store("a1", false, set, ImapCommand.StoreMode.ADD, false, List.of(Flags.DELETED)),
                ok(ImapCommand.Store.class, "a1 STORE 2:4 +FLAGS (\\deleted)"));
        assertEquals(new ImapCommand.Store("a1", false, set, ImapCommand.StoreMode.REMOVE, true,
                List.of(Flags.SEEN, "Junk")), ok(ImapCommand.Store.class, "a1 STORE 2:4 -FLAGS.SILENT \\Seen Junk"));
        assertEquals(new ImapCommand.Store("a1", true, set, ImapCommand.StoreMode.REPLACE, false, List.of()),
                ok(ImapCommand.Store.class, "a1 UID STORE 2:4 FLAGS ()"));
        error("a1 STORE 2:4 +LABELS (x)");
        error("a1 STORE 2:4 FLAGS (\\Recent)");
        error("a1 STORE 2:4 FLAGS");
    }

    @Test
    void copyMoveAndUidForms() {
        SequenceSet set = SequenceSet.parse("1:*").orElseThrow();
        assertEquals(new ImapCommand.Copy("a1", false, set, "Trash"), ok(ImapCommand.Copy.class, "a1 COPY 1:* Trash"));
        assertEquals(new ImapCommand.Copy("a1", true, set, "Trash"), ok(ImapCommand.Copy.class, "a1 UID COPY 1:* Trash"));
        assertEquals(new ImapCommand.Move("a1", false, set, "INBOX"), ok(ImapCommand.Move.class, "a1 MOVE 1:* inbox"));
        assertEquals(new ImapCommand.Move("a1", true, set, "Junk"), ok(ImapCommand.Move.class, "a1 uid move 1:* Junk"));
        assertEquals(new ImapCommand.UidExpunge("a1", SequenceSet.parse("3,5:7").orElseThrow()),
                ok(ImapCommand.UidExpunge.class, "a1 UID EXPUNGE 3,5:7"));
        assertTrue(ok(ImapCommand.Fetch.class, "a1 UID FETCH 1:* FLAGS").uid());
        assertTrue(ok(ImapCommand.Search.class, "a1 UID SEARCH ALL").uid());
        assertTrue(error("a1 UID NOOP").reason().contains("unknown UID command"));
        error("a1 UID");
        error("a1 EXPUNGE 1:2");
        error("a1 COPY Trash");
    }

    @Test
    void idAndEnable() {
        assertEquals(new ImapCommand.Id("a1", Optional.empty()), ok(ImapCommand.Id.class, "a1 ID NIL"));
        assertEquals(new ImapCommand.Id("a1", Optional.of(List.of(
                        new ImapCommand.IdField("name", Optional.of("Thunderbird")),
                        new ImapCommand.IdField("version", Optional.empty())))),
                ok(ImapCommand.Id.class, "a1 ID (\"name\" \"Thunderbird\" \"version\" NIL)"));
        StringBuilder many = new StringBuilder("a1 ID (");
        for (int i = 0; i < 31; i++) {
            many.append(i == 0 ? "" : " ").append("\"k").append(i).append("\" \"v\"");
        }
        error(many.append(")").toString());
        error("a1 ID ()");
        error("a1 ID (\"name\")");

        assertEquals(new ImapCommand.Enable("a1", List.of("CONDSTORE", "UTF8=ACCEPT")),
                ok(ImapCommand.Enable.class, "a1 ENABLE CONDSTORE UTF8=ACCEPT"));
        error("a1 ENABLE");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'' | missing or malformed tag",
            "+a NOOP | missing or malformed tag",
            "a{1 NOOP | missing or malformed tag",
            "a1 | missing command",
            "a1 FROB | unknown command FROB",
            "a1 LOGIN \"alice | unterminated quoted string",
            "a1 LOGIN \"al\\ice\" pw | invalid escape",
            "a1 FETCH 1:0 FLAGS | invalid sequence set",
            "a1 FETCH 1,,2 FLAGS | invalid sequence set",
            "a1 FETCH 4294967296 FLAGS | invalid sequence set",
            "a1 FETCH 1:x FLAGS | invalid sequence set",
    })
    void errorsCarryTheTagAndReason(String line, String reason) {
        ParseError e = error(line);
        assertTrue(e.reason().contains(reason), () -> e.reason());
        assertEquals(ParseError.Status.BAD, e.status());
        boolean tagged = !line.isEmpty() && !line.startsWith("+") && !line.startsWith("a{");
        assertEquals(tagged, e.tag().isPresent(), e::toString);
        assertTrue(e.replyLine().startsWith(tagged ? "a1 BAD " : "* BAD "), e::replyLine);
    }

    @Test
    void literalWhereNoStringIsAllowed() {
        assertTrue(error("a1 FETCH {3}\r\n1:2 FLAGS\r\n").reason().contains("found a literal"));
        error("a1 LOGIN {5}\r\nalicepw\r\n");
        error("a1 {4}\r\nNOOP\r\n");
    }

    @Test
    void invalidUtf8InAStringIsRefused() {
        RawCommand raw = new RawCommand(List.of(new RawCommand.Line("a1 LOGIN ".getBytes(StandardCharsets.US_ASCII)),
                new RawCommand.Literal(new byte[] {(byte) 0xff, 'a'}, true), new RawCommand.Line(" pw".getBytes())));
        ParseError e = assertInstanceOf(ParseError.class, ImapParser.parse(raw));
        assertTrue(e.reason().contains("UTF-8"));
    }

    @Test
    void utf8QuotedStringsAreAccepted() {
        assertEquals("Entwürfe", ok(ImapCommand.Create.class, "a1 CREATE \"Entwürfe\"").mailbox());
    }
}
