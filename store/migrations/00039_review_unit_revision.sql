-- +goose Up
-- A functional zone's pointing is numbered (RULES §1): each save of a
-- review unit counts one more revision, and the zone's open processes are
-- told the bureau as of it, so an older telling arriving late changes
-- nothing. told_revision is the newest revision every open process of the
-- zone was told; the starter's sweep tells one the API could not.
ALTER TABLE review_units
    ADD COLUMN revision      integer NOT NULL DEFAULT 0,
    ADD COLUMN told_revision integer NOT NULL DEFAULT 0,
    ADD COLUMN saved_at      timestamptz;

-- +goose Down
ALTER TABLE review_units DROP COLUMN revision, DROP COLUMN told_revision, DROP COLUMN saved_at;
