package org.mailroom.mailbox.imap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.LineClient;
import org.mailroom.mailbox.TlsTestResource;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * RFC 3501 §5.4 autologout, told with {@code * BYE} (§7.1.5) before the connection closes; a client
 * that keeps talking stays. The timeout is 2 s here (outside tests less than 30 minutes refuses to
 * start).
 */
@QuarkusTest
@TestProfile(AutologoutIT.ShortIdle.class)
@WithTestResource(MailroomTestResources.class)
@WithTestResource(TlsTestResource.class)
class AutologoutIT {

    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailbox.imap.idle-timeout", "2s");
        }
    }

    @Inject
    ImapServer imap;

    @Test
    void aSilentClientIsToldByeAndDisconnected() throws Exception {
        try (LineClient c = new LineClient(imap.tlsPort(), true)) {
            assertTrue(c.readLine().startsWith("* OK"));
            long start = System.nanoTime();
            assertEquals("* BYE Autologout; idle for too long", c.readLine());
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 1_900 && waited < 10_000, "after about 2 s of silence: " + waited + " ms");
            String after;
            try {
                after = c.readLine();
            } catch (java.io.IOException e) { // a reset is a close too
                after = null;
            }
            assertEquals(null, after, "then the connection closes");
        }
    }

    @Test
    void aClientThatKeepsTalkingStays() throws Exception {
        try (LineClient c = new LineClient(imap.tlsPort(), true)) {
            c.readLine();
            for (int i = 0; i < 6; i++) {
                Thread.sleep(700);
                c.send("n" + i + " NOOP");
                assertEquals("n" + i + " OK NOOP completed", c.readLine());
            }
        }
    }
}
