package org.mailroom.mailbox.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import org.mailroom.core.event.LocalDelivery;

/**
 * One message to store in one account's INBOX, as it will rest: the {@code Return-Path} header
 * prepended, the rest byte for byte, and the SHA-256 that names its blob.
 *
 * @param queueId      with {@code account}, the idempotency key
 * @param account      canonical account address (the record's {@code mailbox})
 * @param content      the octets stored
 * @param sha256       SHA-256 of {@code content}
 * @param internalDate RFC 3501 INTERNALDATE: when the message was received
 */
public record Delivery(String queueId, String account, byte[] content, byte[] sha256, Instant internalDate) {

    /**
     * RFC 5321 §4.4: the final delivery MTA adds {@code Return-Path: <reverse-path>}, {@code <>}
     * for the null sender. A reverse-path never holds CR or LF (the envelope came through SMTP).
     */
    public static Delivery of(LocalDelivery local) {
        String header = "Return-Path: <" + local.envelope().mailFrom() + ">\r\n";
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        byte[] message = local.message();
        byte[] content = new byte[head.length + message.length];
        System.arraycopy(head, 0, content, 0, head.length);
        System.arraycopy(message, 0, content, head.length, message.length);
        return new Delivery(local.envelope().queueId(), local.mailbox(), content, sha256(content),
                local.envelope().receivedAt());
    }

    public static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public long size() {
        return content.length;
    }

    /** The idempotency key as one string. */
    public String key() {
        return queueId + "\u0000" + account;
    }
}
