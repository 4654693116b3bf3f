package org.mailroom.mailbox.imap.parse;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed client command (RFC 3501 §6 and the extensions named on each record). Mailbox names are
 * in wire form (modified UTF-7, RFC 3501 §5.1.3; decode with {@link MailboxName}), except that
 * INBOX in any case is {@code "INBOX"}. {@code uid} is true for the {@code UID} form (RFC 3501
 * §6.4.8), whose sequence set holds UIDs.
 */
public sealed interface ImapCommand extends ParseResult {

    /** The command's tag; empty only for {@link Done}, which is not a tagged command. */
    String tag();

    // ---- any state (RFC 3501 §6.1) -----------------------------------------------------------------

    record Capability(String tag) implements ImapCommand { }

    record Noop(String tag) implements ImapCommand { }

    record Logout(String tag) implements ImapCommand { }

    /** RFC 2971. {@code fields} is empty for {@code ID NIL}; a field's value is empty for NIL. */
    record Id(String tag, Optional<List<IdField>> fields) implements ImapCommand {
        public Id {
            fields = fields.map(List::copyOf);
        }
    }

    record IdField(String name, Optional<String> value) { }

    // ---- not authenticated (RFC 3501 §6.2) ---------------------------------------------------------

    record StartTls(String tag) implements ImapCommand { }

    /**
     * AUTHENTICATE mechanism, with the SASL-IR initial response (RFC 4959) as sent: base64, or
     * {@code "="} for an empty response.
     */
    record Authenticate(String tag, String mechanism, Optional<String> initialResponse) implements ImapCommand {
        @Override public String toString() {
            return "Authenticate[tag=" + tag + ", mechanism=" + mechanism + ", initialResponse="
                    + initialResponse.map(r -> "<hidden>").orElse("none") + "]";
        }
    }

    record Login(String tag, String user, String password) implements ImapCommand {
        @Override public String toString() {
            return "Login[tag=" + tag + ", user=" + user + ", password=<hidden>]";
        }
    }

    // ---- authenticated (RFC 3501 §6.3) -------------------------------------------------------------

    record Select(String tag, String mailbox) implements ImapCommand { }

    record Examine(String tag, String mailbox) implements ImapCommand { }

    record Create(String tag, String mailbox) implements ImapCommand { }

    record Delete(String tag, String mailbox) implements ImapCommand { }

    record Rename(String tag, String from, String to) implements ImapCommand { }

    record Subscribe(String tag, String mailbox) implements ImapCommand { }

    record Unsubscribe(String tag, String mailbox) implements ImapCommand { }

    /** LIST reference pattern; the pattern may hold the wildcards {@code %} and {@code *}. */
    record ListMailboxes(String tag, String reference, String pattern) implements ImapCommand { }

    record Lsub(String tag, String reference, String pattern) implements ImapCommand { }

    record Status(String tag, String mailbox, List<StatusItem> items) implements ImapCommand {
        public Status {
            items = List.copyOf(items);
        }
    }

    /** APPEND; {@code flags} empty when none were given, the message octets as sent. */
    record Append(String tag, String mailbox, List<String> flags, Optional<OffsetDateTime> internalDate,
                  byte[] message) implements ImapCommand {
        public Append {
            flags = List.copyOf(flags);
        }

        @Override public boolean equals(Object o) {
            return o instanceof Append a && tag.equals(a.tag) && mailbox.equals(a.mailbox) && flags.equals(a.flags)
                    && internalDate.equals(a.internalDate) && Arrays.equals(message, a.message);
        }

        @Override public int hashCode() {
            return tag.hashCode() * 31 + Arrays.hashCode(message);
        }

        @Override public String toString() {
            return "Append[tag=" + tag + ", mailbox=" + mailbox + ", flags=" + flags + ", internalDate="
                    + internalDate + ", message=" + message.length + " octets]";
        }
    }

    /** RFC 2342. */
    record Namespace(String tag) implements ImapCommand { }

    /** RFC 5161: the capability names to enable, as sent. */
    record Enable(String tag, List<String> capabilities) implements ImapCommand {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }
    }

    /** RFC 2177. */
    record Idle(String tag) implements ImapCommand { }

    /** The {@code DONE} line that ends IDLE (RFC 2177 §3); its tag is empty. */
    record Done() implements ImapCommand {
        @Override public String tag() {
            return "";
        }
    }

    // ---- selected (RFC 3501 §6.4) ------------------------------------------------------------------

    record Check(String tag) implements ImapCommand { }

    record Close(String tag) implements ImapCommand { }

    /** RFC 3691. */
    record Unselect(String tag) implements ImapCommand { }

    record Expunge(String tag) implements ImapCommand { }

    /** UID EXPUNGE (RFC 4315 §2.1). */
    record UidExpunge(String tag, SequenceSet uids) implements ImapCommand { }

    /**
     * SEARCH; the key is an {@link SearchKey.And} of the keys given. {@code charset} is the
     * {@code CHARSET} argument, upper-cased, when given; strings in the key are already decoded with it.
     */
    record Search(String tag, boolean uid, Optional<String> charset, SearchKey key) implements ImapCommand { }

    /** FETCH, macros (ALL, FAST, FULL) expanded into their items (RFC 3501 §6.4.5). */
    record Fetch(String tag, boolean uid, SequenceSet set, List<FetchItem> items) implements ImapCommand {
        public Fetch {
            items = List.copyOf(items);
        }
    }

    /** STORE set [+|-]FLAGS[.SILENT] flags. */
    record Store(String tag, boolean uid, SequenceSet set, StoreMode mode, boolean silent, List<String> flags)
            implements ImapCommand {
        public Store {
            flags = List.copyOf(flags);
        }
    }

    enum StoreMode { REPLACE, ADD, REMOVE }

    record Copy(String tag, boolean uid, SequenceSet set, String mailbox) implements ImapCommand { }

    /** RFC 6851. */
    record Move(String tag, boolean uid, SequenceSet set, String mailbox) implements ImapCommand { }
}
