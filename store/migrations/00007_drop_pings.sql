-- +goose Up

-- The foundation's hello path (POST /api/v1/pings → workflow → activity →
-- this table) is gone: the admission process now proves that path end to
-- end, and nothing reads or writes pings.
DROP TABLE pings;

-- +goose Down
CREATE TABLE pings (
    id         text PRIMARY KEY,
    message    text NOT NULL,
    created_at timestamptz NOT NULL
);
