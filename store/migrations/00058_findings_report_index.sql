-- +goose Up
-- A finding may name a report dismissed before, once (the API asks whether
-- one does before it records another).
CREATE INDEX findings_report ON findings (report_id) WHERE report_id IS NOT NULL;

-- +goose Down
DROP INDEX findings_report;
