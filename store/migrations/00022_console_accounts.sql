-- +goose Up

-- The console's people (API.md "Web console", 等保 2.0 三级 身份鉴别): one row
-- per account, with what binds it (county, holder USCC, expert id), its
-- argon2id password hash, its second factor and its lock-out state.
CREATE TABLE accounts (
    id                  bigserial PRIMARY KEY,
    username            text NOT NULL UNIQUE,
    role                text NOT NULL,
    county_code         text NOT NULL DEFAULT '',
    uscc                text NOT NULL DEFAULT '',
    expert_id           text NOT NULL DEFAULT '',
    password_hash       text NOT NULL,
    password_changed_at timestamptz NOT NULL,
    disabled            boolean NOT NULL DEFAULT false,
    totp_secret         text NOT NULL DEFAULT '',
    totp_enrolled       boolean NOT NULL DEFAULT false,
    -- the last TOTP time step accepted: a code is used once
    totp_last_step      bigint NOT NULL DEFAULT 0,
    failed_count        int NOT NULL DEFAULT 0,
    locked_until        timestamptz,
    created_at          timestamptz NOT NULL
);

-- A console session: the cookie carries a random id, the table its SHA-256,
-- so a copy of the table signs nobody in. stage 'full' is signed in;
-- 'second_factor' waits for the TOTP code, 'enrol' for the enrolment.
CREATE TABLE console_sessions (
    id_hash      bytea PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    stage        text NOT NULL,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX console_sessions_account ON console_sessions (account_id);

-- +goose Down
DROP TABLE console_sessions;
DROP TABLE accounts;
