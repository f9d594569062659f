-- +goose Up
-- The progress of an import of brands (issue 14 item 4), by the SHA-256 of
-- its sheet: a client that uploads a sheet knows its hash before the
-- import answers, and asks GET /api/v1/brands/import/progress while it
-- runs. Kept in PostgreSQL, not in the API's memory, so that any replica
-- answers for an import another one runs. One row per sheet (the latest
-- run of it); rows not updated for a week are deleted when a run begins.
CREATE TABLE brand_import_progress (
    sheet       text PRIMARY KEY CHECK (sheet ~ '^[0-9a-f]{64}$'),
    dry_run     boolean NOT NULL,
    actor       text NOT NULL,
    total_rows  integer NOT NULL,
    checked     integer NOT NULL DEFAULT 0,
    valid       integer NOT NULL DEFAULT 0,
    started     integer NOT NULL DEFAULT 0,
    already     integer NOT NULL DEFAULT 0,
    failed      integer NOT NULL DEFAULT 0,
    recorded    integer NOT NULL DEFAULT 0,
    done        boolean NOT NULL DEFAULT false,
    began_at    timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX brand_import_progress_updated ON brand_import_progress (updated_at);

-- The console's import page keeps the sheet a person checked (dry run)
-- until they confirm its import, so that the confirmation needs no second
-- upload: one sheet per account, replaced by the next check, deleted by
-- the import; sheets older than a day are deleted with every check.
CREATE TABLE brand_import_sheets (
    account_id  bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sheet       text NOT NULL,
    content     bytea NOT NULL,
    kept_at     timestamptz NOT NULL
);

-- +goose Down
DROP TABLE brand_import_sheets;
DROP TABLE brand_import_progress;
