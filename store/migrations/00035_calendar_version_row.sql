-- +goose Up
-- The calendar version as a row the revision's own transaction updates. The
-- sequence it replaces advanced outside that transaction: a reader (a
-- deadline computed, the fan-out, the starter's sweep) could see version v
-- before v's schedule was committed, build the old calendar under v's number
-- and keep it; and two revisions could commit out of their numbers' order.
-- The row is seen only with its revision's data, and its lock orders them.
-- changed_at lets the worker's sweep leave a revision's fan-out to the API
-- for as long as the API may still be starting it.
CREATE TABLE calendar_version (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version    int NOT NULL CHECK (version >= 0),
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO calendar_version (version)
SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM calendar_version_seq;
DROP SEQUENCE calendar_version_seq;

-- +goose Down
CREATE SEQUENCE calendar_version_seq;
SELECT setval('calendar_version_seq', version) FROM calendar_version WHERE version > 0;
DROP TABLE calendar_version;
