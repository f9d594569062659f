-- +goose NO TRANSACTION
-- +goose Up
-- Three reads that walked whole tables as they grow (a reader of the SQL):
-- a holder's inbox (its messages among every holder's, kept a year), every
-- report of a brand in its view (only the open ones had an index), and the
-- list of reports newest first. Built CONCURRENTLY, outside a transaction,
-- so that writes to these tables go on while they are built; a build that
-- failed leaves an invalid index behind, which IF NOT EXISTS would keep:
-- drop it and run the migration again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_holder ON outbox (audience, uscc, id DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS reports_by_brand ON reports (brand_id, received_at, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS reports_received ON reports (received_at DESC, id DESC);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS reports_received;
DROP INDEX CONCURRENTLY IF EXISTS reports_by_brand;
DROP INDEX CONCURRENTLY IF EXISTS outbox_holder;
