-- +goose Up
-- The highest revision of an application's 推荐表 ever stored. A supplement
-- its process refused (its name taken) is removed from application_forms,
-- but the process was told its number: numbering the next one again from
-- the rows left gave it the same number, which the process, reading a
-- supplement stored and never told as its wait ran out, took for the one
-- it had refused — and the application closed as withdrawn.
ALTER TABLE applications ADD COLUMN revisions_taken integer NOT NULL DEFAULT 0;
UPDATE applications a SET revisions_taken = greatest(a.form_revision,
    coalesce((SELECT max(f.revision) FROM application_forms f WHERE f.application_id = a.id), 0));

-- +goose Down
ALTER TABLE applications DROP COLUMN revisions_taken;
