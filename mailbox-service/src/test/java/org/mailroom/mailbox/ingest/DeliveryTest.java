package org.mailroom.mailbox.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.LocalDelivery;
import org.mailroom.core.event.Recipient;

class DeliveryTest {

    static LocalDelivery local(String from, String to, byte[] message) {
        Envelope env = new Envelope("Q1", Instant.parse("2026-01-02T03:04:05Z"), "mx.test", "mx", "192.0.2.1", "client",
                null, null, from, List.of(Recipient.of(to)), null, null, null, false, message.length);
        return new LocalDelivery(env, to, message);
    }

    @Test
    void returnPathIsPrependedAndTheRestKeptByteForByte() {
        byte[] message = "Subject: \u00e9\r\n\r\nbody\n\u0000".getBytes(StandardCharsets.UTF_8);
        Delivery d = Delivery.of(local("bob@example.test", "alice@example.test", message));
        String expectedHead = "Return-Path: <bob@example.test>\r\n";
        assertEquals(expectedHead, new String(d.content(), 0, expectedHead.length(), StandardCharsets.US_ASCII));
        byte[] rest = java.util.Arrays.copyOfRange(d.content(), expectedHead.length(), d.content().length);
        assertArrayEquals(message, rest);
        assertArrayEquals(Delivery.sha256(d.content()), d.sha256());
        assertEquals("alice@example.test", d.account());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), d.internalDate());
    }

    @Test
    void nullSenderGetsEmptyAngleBrackets() {
        Delivery d = Delivery.of(local("", "alice@example.test", "X: y\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("Return-Path: <>\r\nX: y\r\n\r\n", new String(d.content(), StandardCharsets.US_ASCII));
    }
}
