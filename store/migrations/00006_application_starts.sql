-- +goose Up

-- The process each stored submission must get. Written in the submission's
-- transaction; the API starts the process right after the commit and marks
-- it here, and the worker's starter starts any the API could not (Temporal
-- unreachable, API stopped in between). So a submission on record always
-- gets its process, and a submission that failed to commit never leaves one
-- behind.
CREATE TABLE application_starts (
    application_id text PRIMARY KEY REFERENCES applications(id),
    input          jsonb NOT NULL,       -- the workflow's input, as first given
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz
);
CREATE INDEX application_starts_pending ON application_starts (created_at) WHERE started_at IS NULL;

-- Applications stored before this table had their process started inside
-- the submission's transaction.
INSERT INTO application_starts (application_id, input, created_at, started_at)
SELECT id, '{}', submitted_at, submitted_at FROM applications;

-- +goose Down
DROP TABLE application_starts;
