-- +goose NO TRANSACTION
-- +goose Up
-- The hourly prune of the outbox picks messages older than their retention
-- (PruneOutbox). Without an index on their age it walked the whole outbox
-- every hour, escalations (kept for good) included, and each run grew with
-- the table; escalations are left out of the index as the prune leaves
-- them. Built CONCURRENTLY (see 00046).
CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_prunable ON outbox (created_at) WHERE kind <> 'escalation';

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS outbox_prunable;
