package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxNameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Entwürfe | Entw&APw-rfe",
            "台北 | &U,BTFw-",
            "& | &-",
            "INBOX | INBOX",
            "Tom & Jerry | Tom &- Jerry",
            "~peter/mail/台北/日本語 | ~peter/mail/&U,BTFw-/&ZeVnLIqe-",
            "Gesendete Objekte | Gesendete Objekte",
            "Ünïcödé | &ANw-n&AO8-c&APY-d&AOk-",
            "😀 | &2D3eAA-",
    })
    void roundTrips(String decoded, String encoded) {
        assertEquals(encoded, MailboxName.encode(decoded));
        assertEquals(Optional.of(decoded), MailboxName.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "&",            // unterminated shift
            "&U,BTFw",      // unterminated shift
            "&AGE-",        // encodes printable ASCII "a"
            "&APw-&APw-",   // two shifts back to back: must be &APwA,A-
            "&APy-",        // non-zero padding bits
            "&APwA-",       // leftover 6+ bits
            "&A-",          // less than one UTF-16 unit
            "&2D0-",        // unpaired high surrogate
            "&AP*-",        // not in the modified BASE64 alphabet
            "&APw/-",       // '/' is ',' in modified BASE64
            "Entwürfe",     // raw 8-bit
            "tab\there",    // control character
    })
    void refusesMalformed(String encoded) {
        assertEquals(Optional.empty(), MailboxName.decode(encoded));
    }

    @Test
    void encodeRefusesUnpairedSurrogate() {
        assertThrows(IllegalArgumentException.class, () -> MailboxName.encode("a\uD800b"));
    }

    @Test
    void seededRandomRoundTrips() {
        Random random = new Random(3501);
        int[] pool = {'a', 'Z', '&', '-', ' ', '/', '~', 0xFC, 0x53F0, 0x1F600, 0x7F, 0x01, 0xFFFD, 0x10FFFF};
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                sb.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            String name = sb.toString();
            String encoded = MailboxName.encode(name);
            assertEquals(Optional.of(name), MailboxName.decode(encoded), encoded);
            assertEquals(encoded, MailboxName.encode(MailboxName.decode(encoded).orElseThrow()));
        }
    }
}
