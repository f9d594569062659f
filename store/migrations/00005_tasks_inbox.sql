-- +goose Up

-- Work queue: what each officer, expert or holder must do, and by when.
-- Rewritten for an object in the same transaction as each of its steps, so
-- it is always what the process's deadlines say.
CREATE TABLE tasks (
    object_type text NOT NULL,          -- application | brand
    object_id   text NOT NULL,
    kind        text NOT NULL,          -- county_review, city_review, expert_opinion, interview, …
    audience    text NOT NULL,          -- role
    county_code text NOT NULL,
    assignee    text NOT NULL DEFAULT '', -- an expert's id or a holder's USCC; '' for a whole role
    brand_name  text NOT NULL,
    due         date NOT NULL,
    due_at      timestamptz NOT NULL,
    provisional boolean NOT NULL,
    PRIMARY KEY (object_type, object_id, kind, audience, assignee)
);
CREATE INDEX tasks_audience_due ON tasks (audience, county_code, due_at);
CREATE INDEX tasks_due ON tasks (due_at);

-- Which inbox messages a user has read.
CREATE TABLE inbox_reads (
    sub        text NOT NULL,
    message_id bigint NOT NULL REFERENCES outbox(id),
    read_at    timestamptz NOT NULL,
    PRIMARY KEY (sub, message_id)
);
CREATE INDEX outbox_audience ON outbox (audience, county_code, id DESC);

-- Deliveries of outbox messages per channel: at least once, never again
-- after a confirmed delivery.
CREATE TABLE deliveries (
    delivery_id  text PRIMARY KEY,      -- stable: message + channel
    message_id   bigint NOT NULL REFERENCES outbox(id),
    channel      text NOT NULL,         -- webhook:<name> | email
    attempts     int NOT NULL DEFAULT 0,
    last_error   text NOT NULL DEFAULT '',
    delivered_at timestamptz
);

-- +goose Down
DROP TABLE deliveries;
DROP INDEX outbox_audience;
DROP TABLE inbox_reads;
DROP TABLE tasks;
