-- What IMAP needs beside the store of V1/V2.

-- The header section's length (through the blank line), so ENVELOPE and HEADER fetches read only
-- that much of a body (RFC 3501 §6.4.5). Computed by PostgreSQL for every writer; a body without
-- a blank line is all header.
ALTER TABLE blobs ADD COLUMN header_size bigint
    GENERATED ALWAYS AS (COALESCE(NULLIF(position('\x0d0a0d0a'::bytea IN content), 0) + 3, size)) STORED;

-- \Recent (RFC 3501 §2.3.2): the first UID no session has announced as recent yet. A SELECT
-- claims everything from there to uid_next, so each message is recent to one session only.
ALTER TABLE mailboxes ADD COLUMN first_recent_uid bigint NOT NULL DEFAULT 1;

-- Changes since a session's last look (new mail, flags, expunges) are found by modseq.
CREATE INDEX messages_modseq ON messages (mailbox_id, modseq);
CREATE INDEX expunged_modseq ON expunged (mailbox_id, modseq);

-- Every change to a mailbox raises its highest_modseq; each one is announced on channel
-- mailroom_mailbox with the mailbox id, at commit, to every mailbox-service instance listening
-- (IDLE and NOOP on any instance see changes made through another, RFC 2177).
CREATE FUNCTION notify_mailbox_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mailroom_mailbox', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER mailboxes_changed AFTER UPDATE OF highest_modseq ON mailboxes
    FOR EACH ROW WHEN (NEW.highest_modseq IS DISTINCT FROM OLD.highest_modseq)
    EXECUTE FUNCTION notify_mailbox_change();
