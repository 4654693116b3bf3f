package org.mailroom.mailbox.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopbackTest {

    @Test
    void loopbackAddressesInEveryForm() {
        assertTrue(Loopback.is("127.0.0.1"));
        assertTrue(Loopback.is("127.1.2.3"));
        assertTrue(Loopback.is("::1"));
        assertTrue(Loopback.is("0:0:0:0:0:0:0:1"));
        assertTrue(Loopback.is("::ffff:127.0.0.1"));
    }

    @Test
    void everythingElseIsNot() {
        assertFalse(Loopback.is(null));
        assertFalse(Loopback.is("unknown"));
        assertFalse(Loopback.is("10.0.0.1"));
        assertFalse(Loopback.is("192.0.2.127"));
        assertFalse(Loopback.is("::ffff:10.0.0.1"));
        assertFalse(Loopback.is("2001:db8::1"));
        assertFalse(Loopback.is("1270.0.0.1".substring(1))); // "270.0.0.1"
    }
}
