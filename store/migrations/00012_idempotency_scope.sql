-- +goose Up

-- An Idempotency-Key is scoped to the principal (API.md conventions): role,
-- sub, and the county or USCC the token binds it to, besides method and path.
-- Two holders whose tokens share a sub no longer find each other's answers.
-- Keys stored before have an empty scope and are simply never found again.
ALTER TABLE idempotency_keys
    ADD COLUMN role   text NOT NULL DEFAULT '',
    ADD COLUMN county text NOT NULL DEFAULT '',
    ADD COLUMN uscc   text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (sub, role, county, uscc, method, path, key);

-- +goose Down
DELETE FROM idempotency_keys WHERE role <> '' OR county <> '' OR uscc <> '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (sub, method, path, key);
ALTER TABLE idempotency_keys DROP COLUMN role, DROP COLUMN county, DROP COLUMN uscc;
