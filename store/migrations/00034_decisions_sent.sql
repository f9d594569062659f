-- +goose Up
-- A decision sent to a process, noted before it is sent and forgotten once
-- its writes are on record. The process leaves a decision's writes to its
-- caller, the API; a note older than the API's own attempt is a decision
-- whose caller stopped before it wrote, and the writes sweep has the
-- process make them (the settle-writes Update).
CREATE TABLE decisions_sent (
    update_id   text PRIMARY KEY,
    workflow_id text NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_sent_by_age ON decisions_sent (sent_at);

-- +goose Down
DROP TABLE decisions_sent;
