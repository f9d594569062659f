-- +goose Up
-- The starter's sweep looks every few seconds for objections stored and never
-- told to their process (drafts): few at any time, among many objections.
CREATE INDEX objections_drafts ON objections (received_on, application_id) WHERE status = 'draft';

-- +goose Down
DROP INDEX objections_drafts;
