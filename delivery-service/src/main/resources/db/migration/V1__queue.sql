-- The outbound queue that delivery-service owns: one row per (message, destination domain) still
-- to be relayed, with the record as it came from mail.outbound, so a restart loses nothing.

CREATE TABLE queue (
    queue_id         text NOT NULL,
    domain           text NOT NULL,
    record           bytea NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_reply       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (queue_id, domain)
);
CREATE INDEX queue_due ON queue (next_attempt_at);

-- Per-recipient outcome of each attempt, for tracing and DSNs.
CREATE TABLE attempts (
    id            bigserial PRIMARY KEY,
    queue_id      text NOT NULL,
    domain        text NOT NULL,
    recipient     text NOT NULL,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    mx_host       text,
    reply         text,
    outcome       text NOT NULL CHECK (outcome IN ('relayed', 'deferred', 'bounced'))
);
CREATE INDEX attempts_message ON attempts (queue_id);
