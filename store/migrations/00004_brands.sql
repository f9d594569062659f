-- +goose Up

-- The life of an admitted brand (第十五条): its current standing, kept by
-- the brand's process through activities.
ALTER TABLE brands
    ADD COLUMN rectification     jsonb,
    ADD COLUMN suspension        jsonb,
    ADD COLUMN suspension_count  int NOT NULL DEFAULT 0,
    ADD COLUMN pending_decision  jsonb,
    ADD COLUMN deadlines         jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN next_evaluation_due date,
    ADD COLUMN removed_on        date,
    ADD COLUMN reapply_after     date;

-- The history of a brand; dedupe_key makes each step idempotent.
CREATE TABLE brand_events (
    id         bigserial PRIMARY KEY,
    brand_id   text NOT NULL REFERENCES brands(id),
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    role       text NOT NULL,
    action     text NOT NULL,
    note       text NOT NULL DEFAULT '',
    dedupe_key text NOT NULL UNIQUE
);
CREATE INDEX brand_events_brand ON brand_events (brand_id, id);

-- Findings (level 1–3 reasons of 第十五条) and the rectification they open.
CREATE TABLE findings (
    id          text PRIMARY KEY,
    brand_id    text NOT NULL REFERENCES brands(id),
    reason      text NOT NULL,
    level       int NOT NULL,
    description text NOT NULL,
    report_id   text,
    ordered_on  date NOT NULL,
    actor       text NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX findings_brand ON findings (brand_id);

-- Biennial evaluation reports (第十五条) and their assessment.
CREATE TABLE evaluations (
    id          text PRIMARY KEY,
    brand_id    text NOT NULL REFERENCES brands(id),
    period      text NOT NULL,
    report      jsonb NOT NULL,
    filed_at    timestamptz NOT NULL,
    outcome     text,
    opinion     text,
    assessed_at timestamptz,
    assessed_by text
);
CREATE INDEX evaluations_brand ON evaluations (brand_id);

-- Change registration (附件2): county opinion, then city opinion.
CREATE TABLE brand_changes (
    id             text PRIMARY KEY,
    brand_id       text NOT NULL REFERENCES brands(id),
    changes        jsonb NOT NULL,
    reason         text NOT NULL,
    major          boolean NOT NULL,
    status         text NOT NULL DEFAULT 'county', -- county | city | approved | refused
    county_opinion text,
    city_opinion   text,
    requested_at   timestamptz NOT NULL,
    requested_by   text NOT NULL,
    decided_at     timestamptz
);
CREATE INDEX brand_changes_brand ON brand_changes (brand_id);

-- Reports (举报) from the public. The reporter's identity stays here and is
-- never shown to the brand holder.
CREATE TABLE reports (
    id          text PRIMARY KEY,
    brand_id    text NOT NULL REFERENCES brands(id),
    county_code text NOT NULL,
    content     text NOT NULL,
    evidence    text NOT NULL,
    contact     text NOT NULL,
    status      text NOT NULL DEFAULT 'open',  -- open | dismissed | finding
    triage_note text NOT NULL DEFAULT '',
    finding_id  text,
    received_at timestamptz NOT NULL,
    triaged_at  timestamptz,
    triaged_by  text
);
CREATE INDEX reports_status ON reports (status, county_code);

-- Public announcements of suspension, renewal, restoration and removal
-- decisions (第十五条: 向社会公布). No personal data.
CREATE TABLE announcements (
    id          bigserial PRIMARY KEY,
    dedupe_key  text NOT NULL UNIQUE,
    brand_id    text NOT NULL REFERENCES brands(id),
    kind        text NOT NULL,  -- suspension | renewal | restoration | removal
    brand_name  text NOT NULL,
    unit_name   text NOT NULL,
    county_code text NOT NULL,
    category    text NOT NULL,
    decided_on  date NOT NULL,
    effective_until date,
    summary     text NOT NULL,
    published_at timestamptz NOT NULL
);
CREATE INDEX announcements_published ON announcements (published_at DESC, id DESC);

-- +goose Down
DROP TABLE announcements;
DROP TABLE reports;
DROP TABLE brand_changes;
DROP TABLE evaluations;
DROP TABLE findings;
DROP TABLE brand_events;
ALTER TABLE brands DROP COLUMN rectification, DROP COLUMN suspension, DROP COLUMN suspension_count,
    DROP COLUMN pending_decision, DROP COLUMN deadlines, DROP COLUMN next_evaluation_due,
    DROP COLUMN removed_on, DROP COLUMN reapply_after;
