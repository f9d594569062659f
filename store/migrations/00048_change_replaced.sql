-- +goose Up
-- The values an approved change request replaced on the brand's record, kept
-- as the approval applies it: the printed 附件2 of an approved change shows
-- the record before it beside the new values. Changes approved before this
-- have none.
ALTER TABLE brand_changes ADD COLUMN replaced jsonb;

-- +goose Down
ALTER TABLE brand_changes DROP COLUMN replaced;
