package org.mailroom.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.relay.RelayMatrix.Decision;

class RelayMatrixTest {

    @ParameterizedTest(name = "sender local={0}, recipient local={1} -> {2}")
    @CsvSource({
        "true,  true,  DELIVER",
        "true,  false, RELAY",
        "false, true,  DELIVER_WITH_CAUTION",
        "false, false, DENY"})
    void everyCell(boolean senderLocal, boolean recipientLocal, Decision expected) {
        assertEquals(expected, RelayMatrix.decide(senderLocal, recipientLocal));
    }

    @Test
    void onlyInternetToInternetIsRefused() {
        assertFalse(Decision.DENY.accepted());
        assertTrue(Decision.RELAY.accepted());
        assertTrue(Decision.DELIVER.local());
        assertFalse(Decision.RELAY.local());
    }

    @ParameterizedTest
    @ValueSource(strings = {"user%remote.example@local.test", "\"user@remote.example\"@local.test",
        "remote.example!user@local.test", "\"user%remote\"@local.test"})
    void routingTricksAreDetected(String address) {
        assertTrue(RelayMatrix.isRoutingTrick(MailAddress.of(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@local.test", "user+tag@local.test", "first.last@local.test"})
    void ordinaryAddressesAreNotTricks(String address) {
        assertFalse(RelayMatrix.isRoutingTrick(MailAddress.of(address)), address);
    }
}
