-- A session reads what changed since its last look a page at a time, in (modseq, uid) order
-- (SelectedCommands.updates): one STORE 1:* or EXPUNGE on a mailbox of 700,000 messages changes
-- them all, and no session may hold all of them at once. The indexes carry the uid so that each
-- page starts where the last ended without scanning the rows of its modseq again.
CREATE INDEX messages_modseq_uid ON messages (mailbox_id, modseq, uid);
DROP INDEX messages_modseq;
CREATE INDEX expunged_modseq_uid ON expunged (mailbox_id, modseq, uid);
DROP INDEX expunged_modseq;
