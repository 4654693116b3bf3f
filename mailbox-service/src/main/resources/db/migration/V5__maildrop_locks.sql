-- The POP3 maildrop lock (RFC 1939 §4), shared by every mailbox-service instance: one row per
-- locked account, held by one session (holder) on a lease that the holding instance renews while
-- the session lives. A crashed instance's lock lapses when its lease expires.
CREATE TABLE maildrop_locks (
    account    text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
);
