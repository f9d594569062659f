-- +goose Up

-- A brand's current record (附件2, RULES §4): an approved change updates it,
-- and later change requests are checked against it. NULL means the form it
-- was admitted with has not changed.
ALTER TABLE brands ADD COLUMN current_form jsonb;

-- +goose Down
ALTER TABLE brands DROP COLUMN current_form;
