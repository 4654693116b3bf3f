package org.mailroom.ingress.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.Recipient;

class CommandParserTest {

    @Test
    void mailWithEveryParameter() {
        Command c = CommandParser.parse("MAIL FROM:<bob@example.net> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2B314 AUTH=<>");
        assertEquals(new Command.Mail("bob@example.net", 1000, Envelope.Body.EIGHT_BIT_MIME, false, Envelope.Ret.HDRS, "QQ+314"), c);
    }

    @Test
    void nullReversePathAndLiberalSpacing() {
        assertEquals(new Command.Mail("", -1, Envelope.Body.SEVEN_BIT, false, null, null), CommandParser.parse("mail from: <>"));
    }

    @Test
    void rcptWithDsn() {
        Command c = CommandParser.parse("RCPT TO:<alice@example.test> NOTIFY=FAILURE,DELAY ORCPT=rfc822;alice+2Bx@example.test");
        assertEquals(new Command.Rcpt("alice@example.test", EnumSet.of(Recipient.Notify.FAILURE, Recipient.Notify.DELAY),
                "rfc822;alice+x@example.test"), c);
    }

    @Test
    void sourceRoutesAreStripped() {
        assertEquals("user@remote.example",
                ((Command.Rcpt) CommandParser.parse("RCPT TO:<@local.test,@relay.test:user@remote.example>")).forwardPath());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FOO|500|5.5.2",
        "MAIL FROM:bob@example.net|501|5.1.7",
        "MAIL TO:<a@b.c>|501|5.5.4",
        "MAIL FROM:<a@b.c> SIZE=abc|501|5.5.4",
        "MAIL FROM:<a@b.c> FOO=bar|555|5.5.4",
        "MAIL FROM:<\u00e9@b.c>|553|5.6.7",
        "RCPT TO:<user@remote@local.test>|501|5.1.3",
        "RCPT TO:<>|501|5.1.3",
        "RCPT TO:<a@b.c> NOTIFY=NEVER,SUCCESS|501|5.5.4",
        "HELO|501|5.5.4",
        "BDAT x|501|5.5.4",
        "DATA now|501|5.5.4"})
    void errorsCarryTheirReply(String line, int code, String enhanced) {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, CommandParser.parse(line));
        assertEquals(code, invalid.reply().code(), line);
        assertEquals(enhanced, invalid.reply().enhanced(), line);
    }

    @Test
    void parsingIsTotal() {
        Random random = new Random(5321);
        String alphabet = "MAILFROMRCPTTO:<>@. =+\"\\,;!%\u00e9\u0000BDATLAST0123456789";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(40);
            for (int j = 0; j < n; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            CommandParser.parse(s.toString()); // never throws
        }
    }
}
