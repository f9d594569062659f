-- +goose Up
-- A holder's 推荐表 as it is being typed in the console (issue 16 item 2):
-- kept on the server so a closed browser loses nothing. One draft per holder
-- (USCC) and purpose: application_id '' is a new 推荐表, otherwise the
-- returned application being corrected for resubmission. The values are the
-- form's fields as typed (strings, by the API's field names), bounded.
CREATE TABLE application_drafts (
    uscc           text NOT NULL,
    application_id text NOT NULL DEFAULT '',
    fields         jsonb NOT NULL CHECK (octet_length(fields::text) <= 65536),
    updated_at     timestamptz NOT NULL,
    updated_by     text NOT NULL,
    PRIMARY KEY (uscc, application_id)
);

-- A holder's file being uploaded in pieces (resumable: a closed browser or a
-- broken connection continues from the bytes received). Once every byte is
-- here the console sends the file to the API's attachment endpoint and the
-- upload is deleted. Bounded: size ≤ 200 MB, each piece ≤ 1 MB.
CREATE TABLE attachment_uploads (
    id             text PRIMARY KEY,
    uscc           text NOT NULL,
    application_id text NOT NULL,
    kind           text NOT NULL,
    name           text NOT NULL,
    size           bigint NOT NULL CHECK (size > 0 AND size <= 209715200),
    -- fingerprint: the browser's name, size and modification time of the
    -- file, so the same file chosen again resumes this upload.
    fingerprint    text NOT NULL,
    received       bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (uscc, application_id, fingerprint)
);

CREATE TABLE attachment_upload_parts (
    upload_id text NOT NULL REFERENCES attachment_uploads (id) ON DELETE CASCADE,
    "offset"  bigint NOT NULL,
    data      bytea NOT NULL CHECK (octet_length(data) BETWEEN 1 AND 1048576),
    PRIMARY KEY (upload_id, "offset")
);

-- +goose Down
DROP TABLE attachment_upload_parts;
DROP TABLE attachment_uploads;
DROP TABLE application_drafts;
