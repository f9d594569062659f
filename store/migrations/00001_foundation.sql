-- +goose Up

-- Audit trail (RULES §6): append-only, each row hash-chained to the one before.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    role        text        NOT NULL,
    action      text        NOT NULL,
    object_type text        NOT NULL,
    object_id   text        NOT NULL,
    before      jsonb,
    after       jsonb,
    prev_hash   text        NOT NULL,
    hash        text        NOT NULL UNIQUE
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- audit_hash is the one definition of a row's hash, used when a row is
-- written and when the chain is verified.
-- +goose StatementBegin
CREATE FUNCTION audit_hash(prev text, id bigint, at timestamptz, actor text, role text, action text,
                           object_type text, object_id text, before jsonb, after jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\x1f', prev, id::text,
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor, role, action, object_type, object_id,
        coalesce(before::text, 'null'), coalesce(after::text, 'null')), 'UTF8')), 'hex')
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Idempotency keys (API.md conventions): scope (sub, method, path, key).
CREATE TABLE idempotency_keys (
    sub          text        NOT NULL,
    method       text        NOT NULL,
    path         text        NOT NULL,
    key          text        NOT NULL,
    body_sha256  text        NOT NULL,
    status       int,                      -- NULL while the first request is in flight
    content_type text,
    response     bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sub, method, path, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Outbox: reminders, escalations and decisions waiting for delivery. Written by
-- activities in the same transaction as the record they are about; delivery
-- channels read it.
CREATE TABLE outbox (
    id          bigserial   PRIMARY KEY,
    dedupe_key  text        NOT NULL UNIQUE,
    kind        text        NOT NULL,      -- reminder | escalation | decision | …
    audience    text        NOT NULL,      -- a role, e.g. county_officer
    county_code text,
    uscc        text,
    object_type text        NOT NULL,
    object_id   text        NOT NULL,
    title       text        NOT NULL,
    body        text        NOT NULL,
    due         date,
    created_at  timestamptz NOT NULL
);

-- 初审 units (RULES §1 Decision): county code → reviewing bureau, seeded with
-- Kunming's 14 county-level divisions; functional zones are rows added later.
CREATE TABLE review_units (
    county_code   text PRIMARY KEY,
    name          text NOT NULL,
    reviewer_code text NOT NULL,
    active        boolean NOT NULL DEFAULT true
);
INSERT INTO review_units (county_code, name, reviewer_code) VALUES
    ('530102', '五华区', '530102'), ('530103', '盘龙区', '530103'), ('530111', '官渡区', '530111'),
    ('530112', '西山区', '530112'), ('530113', '东川区', '530113'), ('530114', '呈贡区', '530114'),
    ('530115', '晋宁区', '530115'), ('530124', '富民县', '530124'), ('530125', '宜良县', '530125'),
    ('530126', '石林彝族自治县', '530126'), ('530127', '嵩明县', '530127'),
    ('530128', '禄劝彝族苗族自治县', '530128'), ('530129', '寻甸回族彝族自治县', '530129'),
    ('530181', '安宁市', '530181');

-- The hello path of the foundation: proves API → workflow → activity → PostgreSQL.
CREATE TABLE pings (
    id         text PRIMARY KEY,
    message    text NOT NULL,
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE pings;
DROP TABLE review_units;
DROP TABLE outbox;
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP FUNCTION audit_hash(text, bigint, timestamptz, text, text, text, text, text, jsonb, jsonb);
