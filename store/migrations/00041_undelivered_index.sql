-- +goose Up
-- The deliveries not yet confirmed, counted at every metrics scrape
-- (Backlogs): a few among the many settled ones.
CREATE INDEX deliveries_undelivered ON deliveries (message_id) WHERE delivered_at IS NULL;

-- +goose Down
DROP INDEX deliveries_undelivered;
