-- +goose Up
-- A name no account answers to (or a disabled account's) is counted
-- towards a lock-out as an account's wrong passwords are, by the keyed
-- fingerprint the audit trail names it by: otherwise the sixth try would
-- tell a name that exists (locked) from one that does not (never locked).
-- touched_at lets the maintenance forget names nobody tries any more; an
-- account's count of failures in a row lapses after the same quiet time
-- (failed_at), so that the two never differ by it either.
CREATE TABLE sign_in_strangers (
    fingerprint  text PRIMARY KEY,
    failed_count integer NOT NULL,
    locked_until timestamptz,
    touched_at   timestamptz NOT NULL
);
CREATE INDEX sign_in_strangers_touched_at ON sign_in_strangers (touched_at);
ALTER TABLE accounts ADD COLUMN failed_at timestamptz;

-- +goose Down
ALTER TABLE accounts DROP COLUMN failed_at;
DROP TABLE sign_in_strangers;
