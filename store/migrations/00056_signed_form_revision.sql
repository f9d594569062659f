-- +goose Up
-- A signed 附件1 is a print of one revision of the 推荐表; a holder who
-- resubmits after signing has a scan of the earlier one. The revision in
-- force when the scan was uploaded is kept beside it, as the print names
-- its own (推荐表第N版), so the officer sees when the two differ. Scans from
-- before, and those of 附件2 and 附件3, have none.
ALTER TABLE signed_forms ADD COLUMN form_revision integer;

-- +goose Down
ALTER TABLE signed_forms DROP COLUMN form_revision;
