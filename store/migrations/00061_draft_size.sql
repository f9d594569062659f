-- +goose Up
-- A 推荐表 filled to the form's limits — two lists of 50 entries of 200
-- characters, 2,000 characters of typical persons — is some 70 KB as UTF-8
-- JSON: its draft is kept whole (128 KB), as the console reads it.
ALTER TABLE application_drafts DROP CONSTRAINT application_drafts_fields_check;
ALTER TABLE application_drafts ADD CONSTRAINT application_drafts_fields_check CHECK (octet_length(fields::text) <= 131072);

-- +goose Down
-- Drafts beyond the old bound are removed first: the constraint would refuse them.
DELETE FROM application_drafts WHERE octet_length(fields::text) > 65536;
ALTER TABLE application_drafts DROP CONSTRAINT application_drafts_fields_check;
ALTER TABLE application_drafts ADD CONSTRAINT application_drafts_fields_check CHECK (octet_length(fields::text) <= 65536);
