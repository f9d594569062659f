-- +goose Up
-- When the sweep last tried, and failed, to tell an objection's process of
-- it (a day of drafts, or an objection that opens its day again). The sweep
-- reads the days never tried first, then those tried longest ago: days that
-- one process keeps refusing go behind the others, whatever their number,
-- and every replica and every restart of the sweep sees the same order.
ALTER TABLE objections ADD COLUMN tell_tried_at timestamptz;

-- +goose Down
ALTER TABLE objections DROP COLUMN tell_tried_at;
