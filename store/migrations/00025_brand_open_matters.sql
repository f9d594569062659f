-- +goose Up
-- Every matter open on a brand at once (RULES §4 "open matters"), as the
-- brand's process last recorded them: [{kind, id, opened_on, due, due_at, reason, overdue}].
ALTER TABLE brands ADD COLUMN open_matters jsonb NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE brands DROP COLUMN open_matters;
