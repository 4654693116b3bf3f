package org.mailroom.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressTest {

    @Test
    void domainsAreCanonical() {
        MailAddress a = MailAddress.of("Alice@Example.TEST");
        assertEquals("Alice", a.localPart());
        assertEquals("example.test", a.domain());
        assertEquals("alice@example.test", a.canonical());
        MailAddress idn = MailAddress.of("info@B\u00fccher.example");
        assertEquals("xn--bcher-kva.example", idn.domain());
        assertEquals("b\u00fccher.example", idn.domainUnicode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.c", "first.last@example.test", "\"quoted@inside\"@example.test",
        "\"a\\\"b\"@example.test", "user+tag@example.test", "x@[192.0.2.1]", "x@[IPv6:2001:db8::1]",
        "\u00e9l\u00e8ve@\u00e9cole.example", "o'brien@example.test"})
    void valid(String text) {
        assertTrue(MailAddress.parse(text).isPresent(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "a@", "@b", "a..b@c.d", ".a@b.c", "a.@b.c", "a b@c.d", "a@b..c", "a@-b.c",
        "a@b-.c", "a@[300.1.1.1]", "a@[1.2.3]", "\"unterminated@b.c", "a@b.c.", "a\u0000b@c.d",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@too.long.local"})
    void invalid(String text) {
        assertEquals(Optional.empty(), MailAddress.parse(text), text);
    }

    /** Property: parsing is total (never throws) and a parsed address re-parses to itself. */
    @Test
    void parsingIsTotalAndStable() {
        Random random = new Random(20261203L);
        String alphabet = "aZ09.@\"\\[]:-+%!<> \u00e9\u2603\r\n\u0000";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(24);
            for (int j = 0; j < n; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = s.toString();
            MailAddress.parse(text).ifPresent(a -> assertEquals(a, MailAddress.of(a.toString()), text));
        }
    }
}
