-- +goose Up
-- A change request or development report a holder files is stored before
-- its brand's process is told of it (its content never enters workflow
-- history). The Update that tells it is stored with it, in the record's
-- transaction, and removed once the process has answered: a row left here
-- is a record whose telling failed (Temporal unreachable, the API stopped),
-- which the starter's sweep tells again under the same Update ID, or
-- removes with its record when the process refuses it.
CREATE TABLE untold_updates (
    update_id   text PRIMARY KEY,
    workflow_id text NOT NULL,
    update_name text NOT NULL,
    args        jsonb NOT NULL,
    record_kind text NOT NULL CHECK (record_kind IN ('change', 'evaluation')),
    record_id   text NOT NULL,
    stored_at   timestamptz NOT NULL,
    -- tried_at: when the sweep last failed to tell it; such a row waits its
    -- turn behind the others, so that rows that cannot be told yet never
    -- hold back newer ones.
    tried_at    timestamptz
);
CREATE INDEX untold_updates_due ON untold_updates ((coalesce(tried_at, stored_at)));

-- +goose Down
DROP TABLE untold_updates;
