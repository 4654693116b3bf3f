-- The directory that policy-service owns (ARCHITECTURE.md, "Storage"). Addresses and domains are
-- stored canonical: domains as lower-case A-labels, addresses with a lower-cased local part.

CREATE TABLE domains (
    name          text PRIMARY KEY,
    unicode_name  text NOT NULL,
    catch_all     text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    address        text PRIMARY KEY,
    domain         text NOT NULL REFERENCES domains (name) ON DELETE RESTRICT,
    password_hash  text NOT NULL,
    enabled        boolean NOT NULL DEFAULT true,
    quota_bytes    bigint NOT NULL DEFAULT 0 CHECK (quota_bytes >= 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_domain ON accounts (domain);

CREATE TABLE aliases (
    address     text PRIMARY KEY,
    domain      text NOT NULL REFERENCES domains (name) ON DELETE RESTRICT,
    targets     text[] NOT NULL CHECK (cardinality(targets) > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX aliases_domain ON aliases (domain);

CREATE TABLE networks (
    cidr         cidr PRIMARY KEY,
    description  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
