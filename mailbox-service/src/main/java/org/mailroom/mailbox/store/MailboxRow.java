package org.mailroom.mailbox.store;

/** One mailbox as IMAP sees it; {@code name} is Unicode, levels separated by {@code /}. */
public record MailboxRow(long id, String name, String specialUse, boolean subscribed, long uidValidity,
                         long uidNext, long messages, long highestModseq) {
}
