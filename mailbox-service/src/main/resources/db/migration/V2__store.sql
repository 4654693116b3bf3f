-- The store as IMAP and POP3 read it: per-mailbox counters kept beside uid_next (so quota and
-- usage need no scan), expunged UIDs for IMAP CONDSTORE/QRESYNC (RFC 7162 VANISHED), and the
-- outcome of each delivery so a redelivered record is answered as the first time.

-- UIDVALIDITY (RFC 3501 §2.3.1.1): a 32-bit value that must change whenever a mailbox of the same
-- name is recreated. A sequence starting at the migration's epoch second gives every mailbox a
-- value never used before on this database, and ahead of any value a restored backup used.
CREATE SEQUENCE uid_validity_seq MAXVALUE 4294967295;
SELECT setval('uid_validity_seq', GREATEST(extract(epoch FROM now())::bigint,
                                           COALESCE((SELECT max(uid_validity) FROM mailboxes), 0) + 1));
ALTER TABLE mailboxes ALTER COLUMN uid_validity SET DEFAULT nextval('uid_validity_seq');

ALTER TABLE mailboxes ADD COLUMN message_count bigint NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN total_size bigint NOT NULL DEFAULT 0;
UPDATE mailboxes m SET message_count = s.n, total_size = s.bytes
  FROM (SELECT mailbox_id, count(*) AS n, sum(size) AS bytes FROM messages GROUP BY mailbox_id) s
 WHERE s.mailbox_id = m.id;
CREATE INDEX mailboxes_account ON mailboxes (account);

-- RFC 6154 SPECIAL-USE: at most one mailbox per role per account.
CREATE UNIQUE INDEX mailboxes_special_use ON mailboxes (account, special_use) WHERE special_use IS NOT NULL;

-- RFC 7162 §3.2.10: which UIDs went away at which modseq, for VANISHED (EARLIER).
CREATE TABLE expunged (
    mailbox_id  bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uid         bigint NOT NULL,
    modseq      bigint NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);

-- 'stored' (mailbox_id and uid name the copy) or 'rejected' (over quota, reason in reason).
ALTER TABLE deliveries ADD COLUMN outcome text NOT NULL DEFAULT 'stored'
    CHECK (outcome IN ('stored', 'rejected'));
ALTER TABLE deliveries ADD COLUMN reason text;
