-- Mailboxes, messages and bodies that mailbox-service owns (ARCHITECTURE.md, "Storage").

-- Message bodies, stored once however many mailboxes hold them (content-addressed, SHA-256).
CREATE TABLE blobs (
    sha256      bytea PRIMARY KEY CHECK (length(sha256) = 32),
    size        bigint NOT NULL,
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- IMAP mailboxes. uid_next and uid_validity follow RFC 3501 §2.3.1.1: UIDs strictly ascending,
-- never reused; uid_validity fixed at creation.
CREATE TABLE mailboxes (
    id             bigserial PRIMARY KEY,
    account        text NOT NULL,
    name           text NOT NULL,
    special_use    text,
    uid_validity   bigint NOT NULL,
    uid_next       bigint NOT NULL DEFAULT 1,
    highest_modseq bigint NOT NULL DEFAULT 1,
    subscribed     boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account, name)
);

CREATE TABLE messages (
    mailbox_id     bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uid            bigint NOT NULL,
    blob_sha256    bytea NOT NULL REFERENCES blobs (sha256),
    size           bigint NOT NULL,
    internal_date  timestamptz NOT NULL,
    seen           boolean NOT NULL DEFAULT false,
    answered       boolean NOT NULL DEFAULT false,
    flagged        boolean NOT NULL DEFAULT false,
    deleted        boolean NOT NULL DEFAULT false,
    draft          boolean NOT NULL DEFAULT false,
    keywords       text[] NOT NULL DEFAULT '{}',
    modseq         bigint NOT NULL DEFAULT 1,
    queue_id       text,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX messages_blob ON messages (blob_sha256);

-- Idempotent ingestion: a redelivered (queue id, recipient) never stores a second copy.
CREATE TABLE deliveries (
    queue_id    text NOT NULL,
    recipient   text NOT NULL,
    mailbox_id  bigint,
    uid         bigint,
    stored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (queue_id, recipient)
);
