-- +goose Up

-- Objections by day of receipt (第十三条, RULES §3): the application's
-- process keeps one ruling clock per day on which objections were received,
-- not one per objection, so that no number of anonymous objections can wedge
-- it. accepted is set once the process has opened that day's clock.
CREATE TABLE objection_days (
    application_id text NOT NULL REFERENCES applications(id),
    received_on    date NOT NULL,
    accepted       boolean NOT NULL DEFAULT false,
    ruling_due     date,
    PRIMARY KEY (application_id, received_on)
);

-- A mailed objection's postmark decides whether it was filed within the
-- notice; its receipt by the bureau (received_on) starts the ruling clock.
ALTER TABLE objections ADD COLUMN postmarked_on date;
CREATE INDEX objections_app_day ON objections (application_id, received_on) WHERE status = 'open';

-- +goose Down
DROP INDEX objections_app_day;
ALTER TABLE objections DROP COLUMN postmarked_on;
DROP TABLE objection_days;
