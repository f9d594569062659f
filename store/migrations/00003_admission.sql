-- +goose Up

-- 申报批次 (第十条): submissions are accepted only while a round is open.
CREATE TABLE rounds (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    opens_on   date NOT NULL,
    closes_on  date NOT NULL CHECK (closes_on >= opens_on),
    created_at timestamptz NOT NULL,
    created_by text NOT NULL
);

-- 专家智库 (第十二条).
CREATE TABLE experts (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    specialties      text[] NOT NULL,
    county_code      text NOT NULL,
    affiliation_uscc text NOT NULL DEFAULT '',
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- One row per application; `form` holds the current 推荐表 (附件1) with its
-- personal data, which never leaves PostgreSQL (RULES §6).
CREATE TABLE applications (
    id                   text PRIMARY KEY,
    round_id             text NOT NULL REFERENCES rounds(id),
    stage                text NOT NULL,
    brand_name           text NOT NULL,
    brand_type           text NOT NULL,
    category             text NOT NULL,
    county_code          text NOT NULL,
    unit_name            text NOT NULL,
    uscc                 text NOT NULL,
    form                 jsonb NOT NULL,
    form_revision        int NOT NULL DEFAULT 1,
    eligibility          jsonb NOT NULL,
    name_warnings        jsonb NOT NULL DEFAULT '[]',
    on_behalf            boolean NOT NULL DEFAULT false,
    uscc_override_reason text NOT NULL DEFAULT '',
    deadlines            jsonb NOT NULL DEFAULT '[]',
    notice_start         date,
    notice_end           date,
    brand_id             text,
    submitted_at         timestamptz NOT NULL,
    submitted_by         text NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX applications_stage ON applications (stage, county_code);
CREATE INDEX applications_round ON applications (round_id);
-- One open application per brand name, and per holder, at a time.
CREATE UNIQUE INDEX applications_open_name ON applications (lower(brand_name))
    WHERE stage NOT IN ('admitted', 'rejected', 'withdrawn');
CREATE UNIQUE INDEX applications_open_uscc ON applications (uscc)
    WHERE stage NOT IN ('admitted', 'rejected', 'withdrawn');

-- Form revisions: the first submission and every resubmission (退回补充).
CREATE TABLE application_forms (
    application_id text NOT NULL REFERENCES applications(id),
    revision       int NOT NULL,
    form           jsonb NOT NULL,
    applied        boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    created_by     text NOT NULL,
    PRIMARY KEY (application_id, revision)
);

-- The history shown in the application view. dedupe_key makes each recorded
-- step idempotent (an activity retried after a crash writes it once).
CREATE TABLE application_events (
    id             bigserial PRIMARY KEY,
    application_id text NOT NULL REFERENCES applications(id),
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    role           text NOT NULL,
    action         text NOT NULL,
    note           text NOT NULL DEFAULT '',
    dedupe_key     text NOT NULL UNIQUE
);
CREATE INDEX application_events_app ON application_events (application_id, id);

-- Expert draws (第十二条): the seed and the candidate pool are kept so that a
-- draw can be replayed and audited.
CREATE TABLE expert_draws (
    application_id text NOT NULL REFERENCES applications(id),
    draw_no        int NOT NULL,
    seed           bigint NOT NULL,
    requested      int NOT NULL,
    pool           text[] NOT NULL,
    fallback       boolean NOT NULL,
    drawn          text[] NOT NULL,
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    PRIMARY KEY (application_id, draw_no)
);

CREATE TABLE expert_opinions (
    application_id text NOT NULL REFERENCES applications(id),
    expert_id      text NOT NULL REFERENCES experts(id),
    score          int NOT NULL CHECK (score BETWEEN 0 AND 100),
    recommend      boolean NOT NULL,
    comment        text NOT NULL,
    at             timestamptz NOT NULL,
    PRIMARY KEY (application_id, expert_id)
);

CREATE TABLE site_visits (
    id             text PRIMARY KEY,
    application_id text NOT NULL REFERENCES applications(id),
    visited_on     date NOT NULL,
    findings       text NOT NULL,
    at             timestamptz NOT NULL,
    actor          text NOT NULL
);

-- 异议 (第十三条). The objector's name and contact stay here and are shown to
-- officers only; status 'draft' is an objection not yet accepted by the
-- application's process.
CREATE TABLE objections (
    id             text PRIMARY KEY,
    application_id text NOT NULL REFERENCES applications(id),
    via            text NOT NULL,               -- public | mail
    received_on    date NOT NULL,
    name           text NOT NULL,
    contact        text NOT NULL,
    content        text NOT NULL,
    evidence       text NOT NULL,
    status         text NOT NULL DEFAULT 'draft', -- draft | open | upheld | dismissed
    ruling_due     date,
    ruling_reason  text NOT NULL DEFAULT '',
    ruled_at       timestamptz,
    ruled_by       text,
    created_at     timestamptz NOT NULL
);
CREATE INDEX objections_app ON objections (application_id);

CREATE TABLE attachments (
    id             text PRIMARY KEY,
    application_id text NOT NULL REFERENCES applications(id),
    kind           text NOT NULL,
    name           text NOT NULL,
    content_type   text NOT NULL,
    size           bigint NOT NULL,
    sha256         text NOT NULL,
    data           bytea NOT NULL,
    created_at     timestamptz NOT NULL,
    created_by     text NOT NULL
);
CREATE INDEX attachments_app ON attachments (application_id);

-- Admitted brands (第十四条); their life is the brand workflow's.
CREATE TABLE brands (
    id             text PRIMARY KEY,
    application_id text NOT NULL UNIQUE REFERENCES applications(id),
    name           text NOT NULL,
    status         text NOT NULL,
    county_code    text NOT NULL,
    category       text NOT NULL,
    brand_type     text NOT NULL,
    unit_name      text NOT NULL,
    uscc           text NOT NULL,
    admitted_on    date NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX brands_status ON brands (status, county_code, category);

-- The five-year re-application ban after removal (第十五条（四）); RULES §4:
-- it matches the brand name or the holder's USCC.
CREATE TABLE bans (
    id          bigserial PRIMARY KEY,
    brand_name  text NOT NULL,
    uscc        text NOT NULL,
    decided_on  date NOT NULL,
    until       date NOT NULL,
    reason      text NOT NULL,
    brand_id    text
);
CREATE INDEX bans_name ON bans (lower(brand_name));
CREATE INDEX bans_uscc ON bans (uscc);

-- +goose Down
DROP TABLE bans;
DROP TABLE brands;
DROP TABLE attachments;
DROP TABLE objections;
DROP TABLE site_visits;
DROP TABLE expert_opinions;
DROP TABLE expert_draws;
DROP TABLE application_events;
DROP TABLE application_forms;
DROP TABLE applications;
DROP TABLE experts;
DROP TABLE rounds;
