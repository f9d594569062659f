-- +goose Up
-- Which request holds a key in flight: the claiming request's own token. A
-- request that ran past its lease, its key taken over by its retry, must
-- neither release the key the retry holds now (a third request would then
-- run beside the retry) nor store its late answer over the retry's. Rows
-- claimed before, and by binaries of the release before, hold ''.
ALTER TABLE idempotency_keys ADD COLUMN claim text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN claim;
