-- +goose Up

-- A brand admitted before the system has no application of its own: its
-- process's first step writes the brand (store.ImportBrand) with its
-- current record (current_form) and no application_id.
ALTER TABLE brands ALTER COLUMN application_id DROP NOT NULL;

-- +goose Down
DELETE FROM brands WHERE application_id IS NULL;
ALTER TABLE brands ALTER COLUMN application_id SET NOT NULL;
