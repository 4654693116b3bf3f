-- SELECT and EXAMINE list the keywords in use in the mailbox (RFC 3501 §7.2.6, FLAGS): read from
-- the few messages that carry any, not by scanning every message of the mailbox (a third of a
-- second per SELECT on a mailbox of a million messages). Messages.OPEN uses the same predicate.
CREATE INDEX messages_with_keywords ON messages (mailbox_id) WHERE keywords <> '{}';
