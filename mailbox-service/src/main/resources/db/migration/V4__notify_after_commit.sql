-- Mailbox changes are announced by the application after its transaction committed (a separate,
-- read-only NOTIFY), not by a trigger inside the writing transaction: PostgreSQL serialises the
-- commits of notifying transactions on one lock held across the WAL flush, which cut concurrent
-- STOREs by a third here (bench/ImapBench.java, docs/benchmarks.md).
DROP TRIGGER mailboxes_changed ON mailboxes;
DROP FUNCTION notify_mailbox_change();
