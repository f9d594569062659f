-- +goose Up
-- created_at is a message's business date: a lapse's message is dated by
-- the deadline that caused it, a brought-over application's by a day that
-- may lie a year back. Retention and the deliveries backlog's age counted
-- from it, so such a message could be pruned within the hour it was
-- written — before its delivery ran, and before its holder read it.
-- written_at is when it reached the outbox (wall clock); rows from before
-- this migration have none and count from created_at, as they did. No
-- default is written into them: adding the column rewrites nothing.
ALTER TABLE outbox ADD COLUMN written_at timestamptz;
ALTER TABLE outbox ALTER COLUMN written_at SET DEFAULT now();

-- +goose Down
ALTER TABLE outbox DROP COLUMN written_at;
